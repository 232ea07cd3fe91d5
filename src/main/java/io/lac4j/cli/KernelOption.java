package io.lac4j.cli;

import io.lac4j.InputException;
import io.lac4j.engine.KernelChoice;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --kernels}: which native kernels compute (docs/engine.md); the same as {@code LAC4J_KERNELS}. */
public final class KernelOption {
    @Spec(Spec.Target.MIXEE) CommandSpec command;

    @Option(names = "--kernels", paramLabel = "CHOICE",
            description = "Engine kernels: auto (oneDNN; capped at SSE4.1 on AMD CPUs that hide their cache topology;"
                    + " ATen when the self-check fails), onednn, onednn-avx2, onednn-avx, onednn-sse41, aten."
                    + " Default: LAC4J_KERNELS or auto. `lac4j doctor` shows what runs.")
    void kernels(String name) {
        try {
            System.setProperty(KernelChoice.PROPERTY, KernelChoice.parse(name, "--kernels").configName());
        } catch (InputException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }
}
