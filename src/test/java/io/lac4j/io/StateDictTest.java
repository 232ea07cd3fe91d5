package io.lac4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.InputException;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class StateDictTest {
    static final TensorData A = TensorData.ofFloats(new float[] {1}, 1);
    static final TensorData B = TensorData.ofLongs(new long[] {2, 3}, 2);

    private static Map<Object, Object> dict(Object... kv) {
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void keepsOrderAndIsImmutable() {
        StateDict sd = StateDict.of(Map.of("x", A)).with("b", B).with("a", A);
        assertThat(sd.keys()).containsExactly("x", "b", "a");
        assertThat(sd.with("b", A).keys()).containsExactly("x", "b", "a");
        assertThat(sd.without("b").keys()).containsExactly("x", "a");
        assertThat(sd.keys()).containsExactly("x", "b", "a");
        assertThatThrownBy(() -> sd.asMap().put("c", A))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(sd).isNotEqualTo(StateDict.empty().with("b", B).with("x", A).with("a", A));
    }

    @Test
    void bareDictOfTensors() {
        StateDict.Unwrapped u = StateDict.unwrap(dict("w", A, "n", B));
        assertThat(u.stateDict().keys()).containsExactly("w", "n");
        assertThat(u.describe()).isEqualTo("bare state dict");
    }

    @Test
    void wrapperKeysAreTriedInOrderNetStateDictModel() {
        Object pickled =
                dict(
                        "model",
                        dict("m", A),
                        "state_dict",
                        dict("s", A),
                        "net",
                        dict("n", A),
                        "acc",
                        93.1);
        StateDict.Unwrapped u = StateDict.unwrap(pickled);
        assertThat(u.stateDict().keys()).containsExactly("n");
        assertThat(u.notes()).containsExactly("unwrapped \"net\"");
        assertThat(u.metadata()).containsEntry("acc", 93.1);
        assertThat(
                        StateDict.unwrap(dict("model", dict("m", A), "state_dict", dict("s", A)))
                                .stateDict()
                                .keys())
                .containsExactly("s");
    }

    @Test
    void moduleStrippedOnlyWhenEveryKeyHasIt() {
        StateDict.Unwrapped all = StateDict.unwrap(dict("module.a", A, "module.b.c", B));
        assertThat(all.stateDict().keys()).containsExactly("a", "b.c");
        assertThat(all.notes()).containsExactly("stripped \"module.\"");
        StateDict.Unwrapped some = StateDict.unwrap(dict("module.a", A, "b", B));
        assertThat(some.stateDict().keys()).containsExactly("module.a", "b");
        assertThat(some.notes()).isEmpty();
    }

    /** One extra key (an EMA counter, a buffer another tool added) no longer keeps the prefix on the rest. */
    @Test
    void wrapperPrefixesAreStrippedWhenMostKeysCarryThem() {
        StateDict.Unwrapped extra = StateDict.unwrap(dict("module.a", A, "module.b.c", B, "step", A));
        assertThat(extra.stateDict().keys()).containsExactly("a", "b.c", "step");
        assertThat(extra.notes()).containsExactly("stripped \"module.\" (kept 1 key without it: step)");
        StateDict.Unwrapped nested = StateDict.unwrap(dict("_orig_mod.module.a", A, "_orig_mod.module.b", B));
        assertThat(nested.stateDict().keys()).containsExactly("a", "b");
        assertThat(nested.notes()).containsExactly("stripped \"_orig_mod.\"", "stripped \"module.\"");
    }

    @Test
    void aPrefixThatWouldMergeTwoKeysIsRefusedNamingBoth() {
        assertThatThrownBy(() -> StateDict.unwrap(dict("module.a", A, "module.b", B, "a", A), "x.pth"))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("x.pth: keys 'module.a' and 'a' are the same tensor name 'a'")
                .hasMessageContaining("wrapper prefix 'module.'");
    }

    @Test
    void nonTensorEntriesAreIgnoredWithANote() {
        StateDict.Unwrapped u =
                StateDict.unwrap(
                        dict("w", A, "version", 3L, 7L, B, "cfg", new java.util.ArrayList<>()));
        assertThat(u.stateDict().keys()).containsExactly("w");
        assertThat(u.notes())
                .containsExactly(
                        "ignored 3 non-tensor entries: 'version' (int), 7 (tensor int64 [2]), "
                                + "'cfg' (list)");
    }

    @Test
    void noTensorsIsAnInputError() {
        assertThatThrownBy(() -> StateDict.unwrap(dict("net", dict("acc", 1.0)), "x.pth"))
                .isInstanceOf(InputException.class)
                .hasMessage(
                        "x.pth: expected a state dict (a dict of tensors, possibly under 'net',"
                            + " 'state_dict' or 'model'), got a dict with 1 keys ['net'] with no"
                            + " tensors under 'net'");
        assertThatThrownBy(
                        () -> StateDict.unwrap(new java.util.ArrayList<>(List.of(A, B)), "y.pth"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("got a list of 2 items");
    }
}
