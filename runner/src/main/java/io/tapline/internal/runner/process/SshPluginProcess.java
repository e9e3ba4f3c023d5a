package io.tapline.internal.runner.process;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.tapline.SshRemote;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
import io.tapline.spi.TaplineException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plugin running on another host over SSH (jsch): the remote side of {@link PluginProcess}.
 *
 * <p>On start, a private folder is made on the remote host ({@code mktemp -d} under umask 077: 0700,
 * files 0600); the files of the run's {@link PrivateFiles} that the command line names (config,
 * catalog, state) are copied into it through the SSH channel and the arguments rewritten to point
 * there. The plugin's environment goes into a 0600 file in that folder, sourced by the remote
 * shell, so no setting appears on a remote command line. The plugin runs as the leader of its own
 * process group (sshd starts each session with {@code setsid}); closing signals the whole group
 * (TERM, KILL after the grace period), then deletes the folder and disconnects, also after a failure.
 */
public final class SshPluginProcess implements RunningPlugin {
    private static final Logger log = LoggerFactory.getLogger(SshPluginProcess.class);
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final long STDERR_JOIN_MILLIS = 10_000;
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String name;
    private final Session session;
    private final String remoteDir;
    private final ChannelExec channel;
    private final Control control;
    private final InputStream stdout;
    private final StderrTail tail;
    private final Thread stderrPump;
    private boolean closed;

    private SshPluginProcess(String name, Session session, String remoteDir, ChannelExec channel, Control control,
            InputStream stdout, StderrTail tail, Thread stderrPump) {
        this.name = name;
        this.session = session;
        this.remoteDir = remoteDir;
        this.channel = channel;
        this.control = control;
        this.stdout = stdout;
        this.tail = tail;
        this.stderrPump = stderrPump;
    }

    /**
     * Starts {@code argv} (a command on the remote host, then arguments; local files inside
     * {@code privateDir} are copied over) on {@code remote}'s host with {@code env} added to the login
     * environment; its stderr goes to {@code tail} (masked, at the plugin's levels). Started only by {@link Launcher}.
     */
    static SshPluginProcess start(String name, SshRemote remote, List<String> argv, Map<String, String> env,
            Path privateDir, StderrTail tail) {
        Session session = SshSessions.connect(remote.endpoint(), "plugin '" + name + "'");
        String dir = null;
        try {
            SshSessions.Result mk = SshSessions.exec(session,
                    "umask 077 && mktemp -d \"${TMPDIR:-/tmp}/tapline-remote-XXXXXXXX\"", new byte[0]);
            dir = mk.output().strip();
            if (mk.exitCode() != 0 || !dir.startsWith("/")) {
                throw new PluginFailedException(ErrorCode.PLUGIN_FAILED, name, "could not make a private folder on "
                        + remote.endpoint().describe() + " for '" + name + "': " + mk.describe(), null);
            }
            List<String> remoteArgv = new ArrayList<>();
            for (String arg : argv) {
                remoteArgv.add(isIn(arg, privateDir) ? upload(session, dir, Path.of(arg), name) : arg);
            }
            upload(session, dir, "env", envFile(env, name), name);
            StringBuilder cmd = new StringBuilder();
            remote.workingDirectory().ifPresent(wd -> cmd.append("cd ").append(SshSessions.quote(wd)).append(" && "));
            String q = SshSessions.quote(dir);
            // $$ is the session leader's pid, kept by exec: the process group close() signals
            cmd.append("set -a && . ").append(q).append("/env && set +a && echo $$ > ").append(q).append("/pid && exec");
            remoteArgv.forEach(a -> cmd.append(' ').append(SshSessions.quote(a)));

            Control control = Control.open(session, dir, remote.endpoint().connectTimeout());
            ChannelExec channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(cmd.toString());
            InputStream out = channel.getInputStream();
            InputStream err = channel.getErrStream();
            var stdin = channel.getOutputStream();
            channel.connect((int) remote.endpoint().connectTimeout().toMillis());
            stdin.close(); // taps read no stdin
            Thread pump = PluginProcess.pump(err, tail, "tapline-ssh-stderr-" + name);
            log.info("Started '{}' on {} (private folder {})", name, remote.endpoint().describe(), dir);
            return new SshPluginProcess(name, session, dir, channel, control, new EofAware(out), tail, pump);
        } catch (JSchException | IOException | RuntimeException e) {
            cleanUp(session, dir);
            if (e instanceof TaplineException t) {
                throw t;
            }
            throw new PluginFailedException(ErrorCode.PLUGIN_FAILED, name, "could not start plugin '" + name + "' on "
                    + remote.endpoint().describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() { return name; }

    @Override
    public InputStream stdout() { return stdout; }

    @Override
    public int waitFor(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!channel.isClosed()) {
                if (System.nanoTime() > deadline) {
                    throw new PluginFailedException(ErrorCode.PLUGIN_FAILED, name, "plugin '" + name
                            + "' did not exit within " + timeout.toSeconds() + "s after closing its output", null);
                }
                Thread.sleep(10); // jsch has no exit callback; the channel closes right after the exit status
            }
            stderrPump.join(STDERR_JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginFailedException(ErrorCode.INTERRUPTED, name, "interrupted waiting for '" + name + "'", e);
        }
        int status = channel.getExitStatus();
        return status >= 0 ? status : 255; // killed by a signal: sshd reports exit-signal, not a status
    }

    @Override
    public List<String> stderrTail() { return tail.lines(); }

    /**
     * Stops the remote process group if it still runs (TERM, KILL after the grace period), deletes the
     * private folder and disconnects. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            // the control channel stops the group (unless it exited) and deletes the folder
            control.finish(channel.isClosed(), GRACE.plusSeconds(10));
        } finally {
            channel.disconnect();
            try {
                stdout.close();
            } catch (IOException ignored) {
                // the channel is gone
            }
            session.disconnect();
        }
        try {
            stderrPump.join(STDERR_JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes the private folder (after a failed start), disconnects. */
    private static void cleanUp(Session session, String dir) {
        try {
            if (dir != null && dir.startsWith("/") && session.isConnected()) {
                SshSessions.Result r = SshSessions.exec(session, "rm -rf " + SshSessions.quote(dir),
                        new byte[0]);
                if (r.exitCode() != 0) {
                    log.warn("Could not delete the private folder {} on {}: {}", dir, session.getHost(), r.describe());
                }
            }
        } catch (TaplineException e) {
            log.warn("Could not stop the plugin or delete {} on {}: {}", dir, session.getHost(), e.getMessage());
        } finally {
            session.disconnect();
        }
    }

    private static boolean isIn(String arg, Path privateDir) {
        Path p = Path.of(arg);
        return p.isAbsolute() && p.normalize().startsWith(privateDir) && Files.isRegularFile(p);
    }

    private static String upload(Session session, String dir, Path local, String name) {
        try {
            return upload(session, dir, local.getFileName().toString(), Files.readAllBytes(local), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code content} to {@code dir/file} on the remote host under umask 077 (0600) and returns its path. */
    private static String upload(Session session, String dir, String file, byte[] content, String name) {
        String path = dir + "/" + file;
        SshSessions.Result r = SshSessions.exec(session, "umask 077 && cat > " + SshSessions.quote(path), content);
        if (r.exitCode() != 0) {
            throw new PluginFailedException(ErrorCode.PLUGIN_FAILED, name, "could not copy " + file + " for '" + name
                    + "' to " + session.getHost() + ": " + r.describe(), null);
        }
        return path;
    }

    /** {@code NAME='value'} lines for {@code set -a; .}; names a shell cannot hold are skipped. */
    private static byte[] envFile(Map<String, String> env, String name) {
        StringBuilder sb = new StringBuilder();
        env.forEach((k, v) -> {
            if (ENV_NAME.matcher(k).matches()) {
                sb.append(k).append('=').append(SshSessions.quote(v)).append('\n');
            } else {
                log.warn("'{}': environment variable name '{}' cannot be passed to a remote shell; skipped", name, k);
            }
        });
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A second channel, opened with the plugin, whose remote shell waits for one line: {@code done} after a
     * normal exit; anything else, or EOF because the connection dropped (tapline died, network lost), stops
     * the plugin's process group (TERM, KILL after the grace period). Either way it then deletes the
     * private folder. Opened up front: no new channel is needed to stop a plugin.
     */
    private static final class Control {
        private final ChannelExec channel;
        private final java.io.OutputStream in;

        private Control(ChannelExec channel, java.io.OutputStream in) {
            this.channel = channel;
            this.in = in;
        }

        static Control open(Session session, String dir, Duration timeout) throws JSchException, IOException {
            String q = SshSessions.quote(dir);
            ChannelExec c = (ChannelExec) session.openChannel("exec");
            c.setCommand("read -r cmd; if [ \"$cmd\" != done ]; then p=$(cat " + q + "/pid 2>/dev/null); if [ -n \"$p\" ];"
                    + " then kill -TERM -- -$p 2>/dev/null || kill -TERM $p 2>/dev/null; i=0; while kill -0 -- -$p"
                    + " 2>/dev/null && [ $i -lt " + GRACE.toMillis() / 100 + " ]; do sleep 0.1; i=$((i+1)); done;"
                    + " kill -KILL -- -$p 2>/dev/null; fi; fi; rm -rf " + q);
            java.io.OutputStream in = c.getOutputStream();
            c.connect((int) timeout.toMillis());
            return new Control(c, in);
        }

        /** Sends the line and waits up to {@code timeout} for the remote shell to finish. */
        void finish(boolean exited, Duration timeout) {
            try {
                in.write((exited ? "done\n" : "stop\n").getBytes(StandardCharsets.US_ASCII));
                in.flush();
                long deadline = System.nanoTime() + timeout.toNanos();
                while (!channel.isClosed() && System.nanoTime() < deadline) {
                    Thread.sleep(20); // jsch has no close callback
                }
                if (!channel.isClosed()) {
                    log.warn("The remote clean-up on {} did not finish within {} s", channel.getSession().getHost(),
                            timeout.toSeconds());
                }
            } catch (IOException | JSchException e) {
                log.warn("Could not signal the remote clean-up: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                channel.disconnect();
            }
        }
    }

    /** Once at EOF, later reads do not touch the (possibly closed) channel pipe. */
    private static final class EofAware extends FilterInputStream {
        private volatile boolean eof;

        EofAware(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            if (eof) {
                return -1;
            }
            int b = super.read();
            eof = b < 0;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (eof) {
                return -1;
            }
            int n = super.read(buf, off, len);
            eof = n < 0;
            return n;
        }
    }
}
