package io.phasegrid.coordinator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Token arithmetic never wraps: sums saturate at 10^18, differences stop at 0, and below the cap all is exact. */
class TokensTest {

    private static final long CAP = Tokens.CAP;

    @Test
    void sumsAreExactBelowTheCapAndSaturateAtIt() {
        assertThat(Tokens.add(2, 3)).isEqualTo(5);
        assertThat(Tokens.add(CAP - 1, 1)).isEqualTo(CAP);
        assertThat(Tokens.add(CAP, 1)).isEqualTo(CAP);
        assertThat(Tokens.add(Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(CAP);
        assertThat(Tokens.add(-5, 7)).as("a negative operand counts as 0").isEqualTo(7);
        assertThat(Tokens.add(Long.MIN_VALUE, Long.MIN_VALUE)).isZero();
    }

    @Test
    void differencesNeverGoBelowZero() {
        assertThat(Tokens.subtract(10, 3)).isEqualTo(7);
        assertThat(Tokens.subtract(3, 10)).isZero();
        assertThat(Tokens.subtract(CAP, Long.MAX_VALUE)).isZero();
    }

    @Test
    void productsSaturateAtTheCap() {
        assertThat(Tokens.multiply(10_000, 3)).isEqualTo(30_000);
        assertThat(Tokens.multiply(Long.MAX_VALUE, 2)).isEqualTo(CAP);
        assertThat(Tokens.multiply(1L << 32, 1L << 32)).isEqualTo(CAP);
        assertThat(Tokens.multiply(0, Long.MAX_VALUE)).isZero();
        assertThat(Tokens.multiply(-1, 5)).isZero();
    }

    @Test
    void forAnyOperandsTheResultsStayWithinZeroAndTheCapAndAreExactWhenTheyFit() {
        SplittableRandom random = new SplittableRandom(9);
        long[] edges = {Long.MIN_VALUE, -1, 0, 1, Tokens.MAX_PER_REPORT, CAP - 1, CAP, CAP + 1, Long.MAX_VALUE};
        for (int i = 0; i < 20_000; i++) {
            long a = i < 81 ? edges[i % 9] : random.nextLong();
            long b = i < 81 ? edges[i / 9] : random.nextLong(Long.MAX_VALUE >> random.nextInt(63));
            long sum = Tokens.add(a, b);
            long x = Tokens.clamp(a);
            long y = Tokens.clamp(b);
            assertThat(sum).isBetween(0L, CAP).isGreaterThanOrEqualTo(Math.max(x, y));
            if (x + y <= CAP) {
                assertThat(sum).isEqualTo(x + y);
            }
            assertThat(Tokens.subtract(a, b)).isBetween(0L, CAP);
            long product = Tokens.multiply(a, b);
            assertThat(product).isBetween(0L, CAP);
            if (x != 0 && y != 0 && Math.multiplyHigh(x, y) == 0 && x * y > 0 && x * y <= CAP) {
                assertThat(product).isEqualTo(x * y);
            }
        }
    }

    @Test
    void aReportIsZeroToTenToTheTwelveTokens() {
        assertThat(Tokens.requireReport("tokens_used", 0)).isZero();
        assertThat(Tokens.requireReport("tokens_used", Tokens.MAX_PER_REPORT)).isEqualTo(1_000_000_000_000L);
        assertThatThrownBy(() -> Tokens.requireReport("tokens_used", Tokens.MAX_PER_REPORT + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tokens_used")
                .hasMessageContaining("1000000000000");
        assertThatThrownBy(() -> Tokens.requireReport("tokens_used", -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
