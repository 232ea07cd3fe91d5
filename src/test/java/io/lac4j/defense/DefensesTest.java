package io.lac4j.defense;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.InputException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which defense reads which of the options only some defenses read, and the refusal of one nobody in a run reads. */
class DefensesTest {
    static Defense d(String name) {
        return Defenses.byName(name, "test");
    }

    @Test
    void theDefensesThatTrainReadEpochsAndOnlyTheyDo() {
        for (Defense x : Defenses.all()) {
            boolean trains = Set.of("qad", "qad-reset", "qad-reset-regrid", "ft", "fine-pruning").contains(x.name());
            assertThat(x.reads().contains(Defenses.EPOCHS)).as(x.name()).isEqualTo(trains);
            assertThat(Defenses.OWN_OPTIONS).containsAll(x.reads());
        }
        assertThat(d("fine-pruning").reads()).contains(Defenses.PRUNE_RATIO);
        assertThat(d("efrap").reads()).containsExactlyInAnyOrder(Defenses.LAMBDA_FLIP, Defenses.LAMBDA_ROUND, Defenses.WEIGHTING);
    }

    @Test
    void anOptionIsRefusedOnlyWhenNoDefenseOfTheRunReadsIt() {
        assertThatCode(() -> Defenses.checkOptionsRead(List.of(d("lac"), d("ft")), Set.of("--epochs", "--seed"))).doesNotThrowAnyException();
        assertThatCode(() -> Defenses.checkOptionsRead(List.of(d("lac")), Set.of("--max-count", "--seed"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> Defenses.checkOptionsRead(List.of(d("qad-reset")), Set.of("--prune-ratio")))
                .isInstanceOf(InputException.class)
                .hasMessage("--prune-ratio: qad-reset does not read it; it applies to fine-pruning");
        assertThatThrownBy(() -> Defenses.checkOptionsRead(List.of(d("naive"), d("efrap")), Set.of("--epochs")))
                .hasMessage("--epochs: none of naive, efrap reads it; it applies to qad, qad-reset, qad-reset-regrid, ft, fine-pruning");
    }
}
