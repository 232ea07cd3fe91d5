package io.lac4j.ptq;

import io.lac4j.ConfigNames;

/** How EFRAP weights each weight's flip term ω (ATTACKS.md §4.3). */
public enum FlipWeighting {
    /** {@code ω_kj = |w_kj − Q_near(w_kj)|}: the released code (default). */
    ELEMENT("element"),
    /** {@code ω_kj = ‖w_k − Q_near(w_k)‖₂} shared by the weights of output channel k: the paper's text. */
    NEURON_NORM("neuron_norm");

    private final String configName;

    FlipWeighting(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static FlipWeighting fromConfigName(String name, String source) {
        return ConfigNames.lookup(values(), FlipWeighting::configName, name, source);
    }
}
