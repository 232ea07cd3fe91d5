package io.lac4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorDataTest {

    @Test
    void halfConversionCoversNormalsSubnormalsInfinitiesAndNaN() {
        assertThat(TensorData.halfToFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(TensorData.halfToFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(TensorData.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(TensorData.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(TensorData.halfToFloat((short) 0x03ff)).isEqualTo(1023 * 0x1p-24f);
        assertThat(TensorData.halfToFloat((short) 0x0400)).isEqualTo(0x1p-14f);
        assertThat(Float.floatToIntBits(TensorData.halfToFloat((short) 0x8000)))
                .isEqualTo(Float.floatToIntBits(-0f));
        assertThat(TensorData.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(TensorData.halfToFloat((short) 0xfc00)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(TensorData.halfToFloat((short) 0x7e00)).isNaN();
    }

    @Test
    void halfConversionIsMonotoneOverAllPositiveFiniteValues() {
        float prev = -1;
        for (int h = 0; h < 0x7c00; h++) {
            float f = TensorData.halfToFloat((short) h);
            assertThat(f).as("0x%04x", h).isGreaterThan(prev);
            prev = f;
        }
    }

    @Test
    void bfloat16AndIntegersConvert() {
        TensorData bf =
                TensorData.of(
                        DType.BFLOAT16,
                        new long[] {2},
                        new byte[] {(byte) 0x80, 0x3f, (byte) 0xc0, (byte) 0xbf});
        assertThat(bf.toFloatArray()).containsExactly(1f, -1.5f);
        TensorData u8 = TensorData.of(DType.UINT8, new long[] {2}, new byte[] {(byte) 255, 1});
        assertThat(u8.toLongArray()).containsExactly(255, 1);
        assertThat(u8.toFloatArray()).containsExactly(255f, 1f);
        TensorData i8 = TensorData.of(DType.INT8, new long[] {2}, new byte[] {(byte) 255, 1});
        assertThat(i8.toLongArray()).containsExactly(-1, 1);
        assertThat(TensorData.scalarLong(7).shape()).isEmpty();
        assertThat(TensorData.scalarLong(7).numel()).isEqualTo(1);
    }

    @Test
    void immutableAndValidated() {
        float[] values = {1, 2, 3, 4, 5, 6};
        long[] shape = {2, 3};
        TensorData t = TensorData.ofFloats(values, shape);
        values[0] = 99;
        shape[0] = 7;
        t.shape()[1] = 9;
        t.toByteArray()[0] = 1;
        assertThat(t.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(t.shape()).containsExactly(2, 3);
        assertThat(t.numel()).isEqualTo(6);
        assertThat(t).isEqualTo(TensorData.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        assertThatThrownBy(() -> TensorData.ofFloats(new float[5], 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 24 bytes, got 20");
        assertThatThrownBy(() -> TensorData.ofFloats(new float[0], -1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative dimension");
        assertThatThrownBy(t::toLongArray).isInstanceOf(IllegalStateException.class);
        assertThat(t.asByteBuffer().isReadOnly()).isTrue();
        assertThat(t.asByteBuffer().getFloat(4)).isEqualTo(2f);
    }
}
