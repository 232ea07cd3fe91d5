package io.lac4j.report;

import io.lac4j.pipeline.ComparisonRow;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class ComparisonRowTest {
    @Test
    void statIsMeanAndSampleStd() {
        ComparisonRow.Stat s = ComparisonRow.Stat.of(List.of(1.0, 2.0, 6.0));
        assertThat(s.mean()).isEqualTo(3.0);
        assertThat(s.std()).isCloseTo(Math.sqrt(7.0), offset(1e-12));     // ((4 + 1 + 9) / 2)^½
        assertThat(ComparisonRow.Stat.of(List.of(5.0)).std()).isZero();
        assertThat(ComparisonRow.Stat.of(Arrays.asList(1.0, null))).isNull();
        assertThat(s.format()).isEqualTo("3.00 ± 2.65");
    }

    @Test
    void csvHasOneLinePerRowAndEmptyCellsForUnmeasuredMetrics() {
        ComparisonRow.Stat one = new ComparisonRow.Stat(90.0, 1.0);
        String csv = ComparisonReport.csv(List.of(new ComparisonRow("efrap", 4, 3, one, null, null, null, one)));
        assertThat(csv.lines().toList()).hasSize(2);
        assertThat(csv.lines().toList().get(1)).isEqualTo("efrap,4,3,90.0000,1.0000,,,,,,,90.0000,1.0000");
    }
}
