#!/usr/bin/env python3
"""Prints bench/run's results as a Markdown table.

Usage: report.py RESULTS.tsv
Each line of RESULTS.tsv: tool <TAB> records <TAB> input bytes <TAB> GNU `time -v` output file <TAB> note.
Wall seconds, CPU seconds and peak RSS are read from the `time -v` file; CPU wait (the share of
the wall time in which some task on the machine waited for a CPU, from Linux PSI) from the
`.cpuwait` file beside it. A high CPU wait means other load disturbed the run.
"""
import sys


def parse_time_file(path):
    wall = rss_kb = None
    cpu = 0.0
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("Elapsed (wall clock) time"):
                parts = [float(p) for p in line.rsplit(": ", 1)[1].split(":")]
                wall = 0.0
                for p in parts:
                    wall = wall * 60 + p
            elif line.startswith("User time (seconds)") or line.startswith("System time (seconds)"):
                cpu += float(line.rsplit(": ", 1)[1])
            elif line.startswith("Maximum resident set size (kbytes)"):
                rss_kb = int(line.rsplit(": ", 1)[1])
    if wall is None or rss_kb is None:
        raise SystemExit(f"cannot read wall time / peak RSS from {path}")
    wait = ""
    try:
        with open(path[: -len(".time")] + ".cpuwait", encoding="utf-8") as f:
            us = f.read().strip()
            if us:
                wait = f"{min(100.0, int(us) / 1e6 / wall * 100):.0f}%"
    except (OSError, ValueError, ZeroDivisionError):
        pass
    return wall, rss_kb, cpu, wait


def main():
    rows = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            if line.strip():
                tool, records, nbytes, time_file, note = line.rstrip("\n").split("\t")
                wall, rss_kb, cpu, wait = parse_time_file(time_file)
                rows.append((tool, int(records), int(nbytes), wall, rss_kb, cpu, wait, note))
    print("| tool | records | seconds | records/s | MB/s | peak RSS MB | CPU s | CPU wait | note |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    rate = {}
    for tool, records, nbytes, wall, rss_kb, cpu, wait, note in rows:
        rate[tool] = records / wall
        print(f"| {tool} | {records:,} | {wall:.2f} | {records / wall:,.0f} | {nbytes / 1e6 / wall:,.1f} "
              f"| {rss_kb / 1024:,.0f} | {cpu:.1f} | {wait or '-'} | {note} |")
    if "tapline" in rate and "duckdb read_json" in rate:
        print()
        print(f"tapline / read_json throughput ratio: {rate['tapline'] / rate['duckdb read_json']:.2f}")
    for tool, records, nbytes, wall, rss_kb, cpu, wait, note in rows:
        if tool == "tapline":
            ok_rate = records / wall >= 300_000
            ok_rss = rss_kb / 1024 < 1024
            print(f"first bar (>= 300,000 records/s, peak RSS < 1 GB): records/s {'PASS' if ok_rate else 'FAIL'}, "
                  f"RSS {'PASS' if ok_rss else 'FAIL'}"
                  + ("" if records == 2_000_000 else f" (the bar is set at N=2,000,000; this run had N={records:,})"))


if __name__ == "__main__":
    main()
