package io.tapline.internal.protocol.airbyte;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    @Test
    void newlineSearchFindsTheFirstNewlineAtEveryOffsetAndAlignment() {
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            byte[] b = new byte[1 + random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                // bytes next to '\n' (0x09, 0x0B), high bytes and '\n' itself, to trip the word trick
                int pick = random.nextInt(6);
                b[i] = (byte) (pick == 0 ? '\n' : pick == 1 ? 0x09 : pick == 2 ? 0x0B : pick == 3 ? 0x8A
                        : pick == 4 ? 0xFF : 'a');
            }
            int from = random.nextInt(b.length);
            int to = from + random.nextInt(b.length - from + 1);
            int expected = -1;
            for (int i = from; i < to; i++) {
                if (b[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            assertThat(LineReader.indexOfNewline(b, from, to)).as("round %d", round).isEqualTo(expected);
        }
    }
}
