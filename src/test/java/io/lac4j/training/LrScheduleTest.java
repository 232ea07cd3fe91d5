package io.lac4j.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.lac4j.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-epoch learning rates as PyTorch's MultiStepLR and CosineAnnealingLR(T_max = epochs) give them. */
class LrScheduleTest {
    @Test
    void cosineFollowsCosineAnnealingLr() {
        LrSchedule c = LrSchedule.cosine();
        assertThat(c.lr(0.1, 0, 4)).isEqualTo(0.1);
        assertThat(c.lr(0.1, 2, 4)).isCloseTo(0.05, within(1e-12));
        assertThat(c.lr(0.1, 1, 4)).isCloseTo(0.1 * (1 + Math.cos(Math.PI / 4)) / 2, within(1e-12));
    }

    @Test
    void multiStepDecaysAtEachMilestone() {
        LrSchedule s = LrSchedule.parse("step:20,30:0.1", "--schedule");
        assertThat(s.milestones()).isEqualTo(List.of(20, 30));
        assertThat(s.lr(0.1, 19, 35)).isEqualTo(0.1);
        assertThat(s.lr(0.1, 20, 35)).isCloseTo(0.01, within(1e-12));
        assertThat(s.lr(0.1, 34, 35)).isCloseTo(0.001, within(1e-12));
        assertThat(LrSchedule.parse("constant", "--schedule").lr(0.3, 7, 10)).isEqualTo(0.3);
    }

    @Test
    void badNamesAreInputErrors() {
        assertThatThrownBy(() -> LrSchedule.parse("linear", "--schedule")).isInstanceOf(InputException.class)
                .hasMessageContaining("--schedule").hasMessageContaining("'linear'");
        assertThatThrownBy(() -> LrSchedule.parse("step:x", "--schedule")).isInstanceOf(InputException.class);
    }
}
