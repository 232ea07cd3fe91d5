package io.lac4j.quant;

import ai.djl.ndarray.NDArray;
import io.lac4j.ConfigNames;
import io.lac4j.InputException;

/**
 * A range estimator: {@link #observe} only collects statistics (a detached copy of the input; the
 * tensor flowing through is never changed), {@link #qparams} turns them into (scale, zero point)
 * with {@link QParams#fromRange} (MQBench {@code observer.py}, STYLE M2, LAC.md §6.4).
 *
 * <p>Observers hold plain float arrays only; every NDArray they create while observing lives in a
 * sub-manager of the input's manager that is closed before {@code observe} returns.
 */
public sealed interface Observer permits MinMaxObserver, EmaMinMaxObserver, MseObserver, EmaMseObserver {

    /** Updates the statistics with one tensor (float32; per-channel along the scheme's axis). */
    void observe(NDArray x);

    /** §6.3 of the current range; {@link QParams#unobserved()} before the first tensor. */
    QParams qparams();

    /** The scheme whose integer range and granularity the observer uses. */
    QScheme scheme();

    Kind kind();

    /** Current running minimum (per channel), {@code +inf} before the first tensor. */
    float[] minVal();

    /** Current running maximum (per channel), {@code -inf} before the first tensor. */
    float[] maxVal();

    /** True once a non-empty tensor was observed. */
    boolean observed();

    /** Forgets everything observed so far. */
    void reset();

    /** A new observer of {@code kind} for {@code scheme}. */
    static Observer create(Kind kind, QScheme scheme) {
        return switch (kind) {
            case MIN_MAX -> new MinMaxObserver(scheme);
            case EMA_MIN_MAX -> new EmaMinMaxObserver(scheme, EmaMinMaxObserver.DEFAULT_EMA_RATIO);
            case MSE -> new MseObserver(scheme);
            case EMA_MSE -> new EmaMseObserver(scheme, EmaMseObserver.DEFAULT_EMA_RATIO);
        };
    }

    /** Observer strategies, with their MQBench config names. */
    enum Kind {
        MIN_MAX("MinMaxObserver"),
        EMA_MIN_MAX("EMAMinMaxObserver"),
        MSE("MSEObserver"),
        EMA_MSE("EMAMSEObserver");

        private final String configName;

        Kind(String configName) {
            this.configName = configName;
        }

        /** The MQBench class name used in YAML ({@code w_observer}, {@code a_observer}). */
        public String configName() {
            return configName;
        }

        /**
         * Maps an MQBench observer name to a kind.
         *
         * @param source where the name came from, for the message (e.g. {@code
         *     "r18_4_4.yaml: key 'extra_prepare_dict.extra_qconfig_dict.w_observer'"})
         * @throws InputException listing the valid names if {@code name} is unknown
         */
        public static Kind fromConfigName(String name, String source) {
            return ConfigNames.lookup(values(), Kind::configName, name, source);
        }
    }
}
