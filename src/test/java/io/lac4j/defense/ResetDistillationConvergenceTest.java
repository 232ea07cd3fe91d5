package io.lac4j.defense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.Lac4jException;
import org.junit.jupiter.api.Test;

/** {@code qad-reset} refuses to hand over a model whose distillation diverged, and says what to do. */
class ResetDistillationConvergenceTest {
    @Test
    void aDivergedDistillationFailsWithBothAccuracies() {
        assertThatThrownBy(() -> ResetDistillation.checkConverged("qad-reset", 80, 90.5, 60.25, 1024, 1, 80))
                .isInstanceOf(Lac4jException.class).hasMessageStartingWith("qad-reset: ")
                .hasMessageContaining("60.25 %").hasMessageContaining("90.50 %").hasMessageContaining("1024 clean calibration images").hasMessageContaining("--seed")
                .hasMessageContaining("of 80 epochs").hasMessageContaining("--epochs").hasMessageContaining("--cali-batches");
        assertThatThrownBy(() -> ResetDistillation.checkConverged("qad-reset", 80, 84.67, 77.25, 1024, 1, 80)).as("the half-diverged run")
                .isInstanceOf(Lac4jException.class);
        assertThatThrownBy(() -> ResetDistillation.checkConverged("qad-reset", 80, 90, 84.9, 1024, 1, 80)).isInstanceOf(Lac4jException.class);
    }

    @Test
    void theMessageCountsTheAttempts() {
        assertThatThrownBy(() -> ResetDistillation.checkConverged("qad-reset", 80, 90, 60, 1024, 2, 80))
                .hasMessageContaining("did not converge in 2 attempts of 80 epochs:");
        assertThatThrownBy(() -> ResetDistillation.checkConverged("qad-reset", 80, 90, 60, 1024, 1, 80))
                .hasMessageContaining("did not converge in 1 attempt of 80 epochs:");
        assertThat(ResetDistillation.ATTEMPTS).as("a retry before failing").isGreaterThan(1);
        assertThatThrownBy(() -> ResetDistillation.checkConverged("qad-reset-regrid", 120, 90, 60, 1024, 1, 80))
                .as("the defense that ran is named, with its own default").hasMessageStartingWith("qad-reset-regrid: ")
                .hasMessageContaining("fewer than the default 120 epochs");
    }

    @Test
    void aConvergedOnePasses() {
        assertThatCode(() -> ResetDistillation.checkConverged("qad-reset", 80, 90, 85, 1024, 1, 80)).doesNotThrowAnyException();
        assertThatCode(() -> ResetDistillation.checkConverged("qad-reset", 80, 84.77, 82.81, 1024, 1, 80)).as("the largest converged drop measured")
                .doesNotThrowAnyException();
        assertThatCode(() -> ResetDistillation.checkConverged("qad-reset", 80, 90, 91, 1024, 1, 80)).doesNotThrowAnyException();
    }
}
