package io.lac4j.defense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --epochs}: when not given each training defense keeps its own length; when given every one of them takes it. */
class DefenseOptionsTest {
    private static DefenseOptions withEpochs(int epochs) {
        return new DefenseOptions(null, null, null, epochs, DefenseOptions.DEFAULT_PRUNE_RATIO, 1);
    }

    @Test
    void notGivenEachTrainingDefenseRecordsItsOwnEpochs() {
        DefenseOptions own = withEpochs(DefenseOptions.epochsOption(null));
        Map<String, Integer> expected = Map.of("ft", FineTuning.EPOCHS, "fine-pruning", FineTuning.EPOCHS,
                "qad", QuantAwareDistillation.EPOCHS, "qad-reset", ResetDistillation.Settings.DEFAULT.epochs(), "qad-reset-regrid",
                ResetDistillation.Settings.REGRID.epochs());
        expected.forEach((name, epochs) -> assertThat(Defenses.byName(name, "DEFENSE").settings(own).get("epochs"))
                .as(name).isEqualTo(epochs));
        assertThat(ResetDistillation.Settings.DEFAULT.epochs()).isNotEqualTo(FineTuning.EPOCHS);
    }

    @Test
    void givenEveryTrainingDefenseRecordsThem() {
        DefenseOptions seven = withEpochs(DefenseOptions.epochsOption(7));
        for (String name : new String[] {"ft", "fine-pruning", "qad", "qad-reset", "qad-reset-regrid"}) {
            assertThat(Defenses.byName(name, "DEFENSE").settings(seven).get("epochs")).as(name).isEqualTo(7);
        }
    }

    @Test
    void zeroOrNegativeIsRefused() {
        assertThatThrownBy(() -> DefenseOptions.epochsOption(0)).hasMessage("--epochs: expected > 0, got 0");
        assertThatThrownBy(() -> DefenseOptions.epochsOption(-3)).hasMessage("--epochs: expected > 0, got -3");
        assertThatThrownBy(() -> withEpochs(-1)).hasMessageContaining("--epochs");
    }
}
