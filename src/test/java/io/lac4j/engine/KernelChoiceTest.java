package io.lac4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lac4j.InputException;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KernelChoiceTest {
    @Test
    void parsesEveryConfigNameAndRejectsOthersByName() {
        for (KernelChoice c : KernelChoice.values()) {
            assertThat(KernelChoice.parse(" " + c.configName().toUpperCase() + " ", "test")).isEqualTo(c);
        }
        assertThatThrownBy(() -> KernelChoice.parse("mkl", "--kernels"))
                .isInstanceOf(InputException.class)
                .hasMessage("--kernels: expected one of [auto, onednn, onednn-avx2, onednn-avx, onednn-sse41, aten], got 'mkl'");
    }

    @Test
    void capsAndOnednnUseFollowTheChoice() {
        assertThat(KernelChoice.ONEDNN_SSE41.isaCap()).isEqualTo("SSE41");
        assertThat(KernelChoice.AUTO.isaCap()).isNull();
        assertThat(KernelChoice.ATEN.usesOnednn()).isFalse();
        assertThat(KernelChoice.ONEDNN_AVX2.usesOnednn()).isTrue();
    }

    @Test
    void effectiveIsaIsTheBestLevelTheFlagsAllowLoweredByTheCap() {
        Set<String> zen5 = Set.of("sse4_1", "avx", "avx2", "fma", "avx_vnni", "avx512f", "avx512bw", "avx512vl", "avx512dq",
                "avx512_vnni", "avx512_bf16");
        assertThat(EngineFacts.effectiveIsa(zen5, null)).isEqualTo("AVX512_CORE_BF16");
        assertThat(EngineFacts.effectiveIsa(zen5, "AVX2")).isEqualTo("AVX2");
        assertThat(EngineFacts.effectiveIsa(zen5, "sse41")).isEqualTo("SSE41");
        Set<String> haswell = Set.of("sse4_1", "avx", "avx2", "fma");
        assertThat(EngineFacts.effectiveIsa(haswell, null)).isEqualTo("AVX2");
        assertThat(EngineFacts.effectiveIsa(haswell, "AVX512_CORE")).isEqualTo("AVX2");
        assertThat(EngineFacts.effectiveIsa(Set.of(), null)).isEqualTo("unknown");
    }

    @Test
    void autoCapsOnednnOnlyOnAmdCpusThatHideTheirCacheTopology() {
        assertThat(AutoKernels.plan("AuthenticAMD", false, Optional.empty()).kernels()).isEqualTo(KernelChoice.ONEDNN_SSE41);
        assertThat(AutoKernels.plan("AuthenticAMD", false, Optional.empty()).reason()).contains("0x8000001D");
        assertThat(AutoKernels.plan("HygonGenuine", false, Optional.empty()).kernels()).isEqualTo(KernelChoice.ONEDNN_SSE41);
        assertThat(AutoKernels.plan("AuthenticAMD", true, Optional.empty()).kernels()).isEqualTo(KernelChoice.ONEDNN);
        assertThat(AutoKernels.plan("GenuineIntel", false, Optional.empty()).kernels()).isEqualTo(KernelChoice.ONEDNN);
        // A cap the user set in the environment is theirs: auto adds none and says so.
        AutoKernels.Plan user = AutoKernels.plan("AuthenticAMD", false, Optional.of("AVX2"));
        assertThat(user.kernels()).isEqualTo(KernelChoice.ONEDNN);
        assertThat(user.reason()).isEqualTo("ONEDNN_MAX_CPU_ISA=AVX2 set in the environment");
    }

    @Test
    void readsVersionsFromLibtorchsBuildConfig() {
        String config = "PyTorch built with:\n  - Intel(R) MKL-DNN v3.7.1 (Git Hash 8d263e693366ef8db40acc569cc7d8edf644556d)\n"
                + "  - OpenMP 201511\n  - CPU capability usage: AVX512\n";
        assertThat(EngineFacts.onednnVersion(Optional.of(config))).isEqualTo("3.7.1");
        assertThat(EngineFacts.atenCapability(Optional.of(config))).isEqualTo("AVX512");
        assertThat(EngineFacts.onednnVersion(Optional.empty())).isEqualTo("unknown");
    }

    @Test
    void theRunningEngineReportsItsFacts() {
        EngineFacts f = Engines.facts();
        assertThat(f.torchVersion()).startsWith("2.");
        assertThat(f.onednnVersion()).matches("\\d+\\.\\d+(\\.\\d+)?");
        assertThat(f.atenCpuCapability()).isNotEqualTo("unknown");
        assertThat(f.kernels()).isIn("onednn", "onednn-avx2", "onednn-avx", "onednn-sse41", "aten");
        if (f.kernels().equals("aten")) {
            assertThat(f.onednnIsa()).isEqualTo("off");
            assertThat(NativeTorch.onednnEnabled()).isFalse();
        } else {
            assertThat(f.onednnIsa()).isNotIn("off", "unknown");
            assertThat(NativeTorch.onednnEnabled()).isTrue();
        }
        assertThat(f.intraOpThreads()).isPositive();
        assertThat(f.asMap()).containsKeys("torch_version", "onednn_version", "kernels", "onednn_isa", "self_check");
    }
}
