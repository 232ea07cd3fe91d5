package io.lac4j.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

/** Files saved by PyTorch (gen_io.py) read back bit for bit, in every format and wrapping. */
class CheckpointsGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"mixed.pth", "mixed_legacy.pth", "mixed.safetensors"})
    void mixedDtypesViewsAndSharedStoragesMatchTorch(String file) {
        LoadedCheckpoint c = Checkpoints.read(IoFixtures.path(file));
        IoFixtures.assertMatches(c.stateDict(), IoFixtures.expected("mixed"));
        assertThat(c.notes()).isEmpty();
        assertThat(c.sha256()).hasSize(64);
        assertThat(c.format())
                .isEqualTo(
                        file.endsWith(".safetensors")
                                ? CheckpointFormat.SAFETENSORS
                                : file.contains("legacy")
                                        ? CheckpointFormat.PTH_LEGACY
                                        : CheckpointFormat.PTH_ZIP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrapped_net.pth", "wrapped_net_legacy.pth"})
    void netWrapperIsUnwrappedAndScalarsKept(String file) {
        LoadedCheckpoint c = Checkpoints.read(IoFixtures.path(file));
        IoFixtures.assertMatches(c.stateDict(), IoFixtures.expected("small"));
        assertThat(c.notes()).containsExactly("unwrapped \"net\"");
        assertThat(c.metadata())
                .containsEntry("acc", 1.0)
                .containsEntry("epoch", 7L)
                .containsEntry("best_acc", 93.1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrapped_net.pth", "wrapped_net_legacy.pth"})
    void nonTensorValuesKeepTheirPythonMeaning(String file) {
        Map<?, ?> root = (Map<?, ?>) PthReader.read(IoFixtures.path(file));
        assertThat(root.get("dtype")).isEqualTo(DType.FLOAT16);
        assertThat(root.get("input_size")).isEqualTo(List.of(3L, 32L, 32L));
        assertThat(root.get("tags")).isEqualTo(java.util.Arrays.asList("qcb", 4L, null, true));
        assertThat((byte[]) root.get("b")).containsExactly(0, 0xff);
        assertThat(root.get("net")).isInstanceOf(Map.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"module_prefix.pth", "module_prefix_legacy.pth"})
    void dataParallelPrefixIsStripped(String file) {
        LoadedCheckpoint c = Checkpoints.read(IoFixtures.path(file));
        IoFixtures.assertMatches(c.stateDict(), IoFixtures.expected("small"));
        assertThat(c.describeUnwrap()).isEqualTo("stripped \"module.\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"wrapped_state_dict.pth", "wrapped_state_dict_legacy.pth"})
    void stateDictWrapperAndPrefixTogether(String file) {
        LoadedCheckpoint c = Checkpoints.read(IoFixtures.path(file));
        IoFixtures.assertMatches(c.stateDict(), IoFixtures.expected("small"));
        assertThat(c.describeUnwrap()).isEqualTo("unwrapped \"state_dict\", stripped \"module.\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nested_model.pth", "nested_model_legacy.pth"})
    void wrapperNestedTwice(String file) {
        LoadedCheckpoint c = Checkpoints.read(IoFixtures.path(file));
        IoFixtures.assertMatches(c.stateDict(), IoFixtures.expected("small"));
        assertThat(c.notes()).containsExactly("unwrapped \"model.state_dict\"");
        assertThat(c.metadata()).containsEntry("epoch", 3L);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "small_custom_prefix.pth",
                "small_protocol4.pth",
                "small_protocol5_legacy.pth"
            })
    void customZipFolderAndNewerPickleProtocols(String file) {
        LoadedCheckpoint c = Checkpoints.read(IoFixtures.path(file));
        IoFixtures.assertMatches(c.stateDict(), IoFixtures.expected("small"));
        assertThat(c.notes()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"parameters.pth", "parameters_legacy.pth"})
    void parametersRebuildAsTensors(String file) {
        LoadedCheckpoint c = Checkpoints.read(IoFixtures.path(file));
        var expected = IoFixtures.expected("small");
        assertThat(c.stateDict().keys())
                .containsExactlyElementsOf(IoFixtures.expectedKeys(expected));
        for (String key : c.stateDict().keys()) {
            TensorData t = c.stateDict().get(key);
            assertThat(t.dtype()).as(key).isEqualTo(DType.FLOAT32); // gen_io saves v.float()
            assertThat(t.toDoubleArray())
                    .as(key)
                    .containsExactly(IoFixtures.asFloat32(expected.get(key)));
        }
    }

    @org.junit.jupiter.api.Test
    void safetensorsMetadataIsKept() {
        LoadedCheckpoint c = Checkpoints.read(IoFixtures.path("mixed.safetensors"));
        assertThat(c.metadata()).containsEntry("format", "pt").containsEntry("source", "gen_io");
    }
}
