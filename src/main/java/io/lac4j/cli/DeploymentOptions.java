package io.lac4j.cli;

import io.lac4j.quant.Deployment;
import picocli.CommandLine.Option;

/** {@code --deployment} and {@code --abits}: the quantizer naive PTQ and the PTQ defenses quantize with (defend, compare). */
final class DeploymentOptions {
    @Option(names = "--deployment", defaultValue = "academic", paramLabel = "FAMILY",
            description = "Deployment quantizer: academic (MQBench Academic W<b>A<b>, 8-bit first/last layers), fbgemm"
                    + " (per-channel symmetric MinMax W<b>, uint8 reduced-range activations, every layer) or qnnpack"
                    + " (per-tensor W<b>A8). Judge a defense on the quantizer the attack targets (PQBackdoor: fbgemm/qnnpack).")
    String deployment;

    @Option(names = "--abits", defaultValue = "0", paramLabel = "BITS",
            description = "Activation bits: 0 = the family's own (academic: --bits; fbgemm/qnnpack: 8), 2–8, or 32 to leave"
                    + " activations in float (W<bits>A32, the weights-only protocol of EFRAP and the weight-rounding papers).")
    int abits;

    Deployment deployment() {
        return Deployment.fromConfigName(deployment, "--deployment");
    }
}
