package io.lac4j.cli;

import io.lac4j.quant.Deployment;
import picocli.CommandLine.Option;

/** {@code --deployment}: the quantizer family naive PTQ and the PTQ defenses quantize with (defend, compare). */
final class DeploymentOptions {
    @Option(names = "--deployment", defaultValue = "academic", paramLabel = "FAMILY",
            description = "Deployment quantizer: academic (MQBench Academic W<b>A<b>, 8-bit first/last layers), fbgemm"
                    + " (per-channel symmetric MinMax W<b>, uint8 reduced-range activations, every layer) or qnnpack"
                    + " (per-tensor W<b>A8). Judge a defense on the quantizer the attack targets (PQBackdoor: fbgemm/qnnpack).")
    String deployment;

    Deployment deployment() {
        return Deployment.fromConfigName(deployment, "--deployment");
    }
}
