package io.lac4j.eval;

/**
 * Activation drift at one quantization point: the mean over images of the relative L2 distance
 * {@code ‖a_q − a_fp‖ / ‖a_fp‖} between the quantized model's value at {@code quantNode} and the FP
 * model's value at {@code layer} (the node it quantizes), on clean and on triggered inputs.
 *
 * @param layer the FP node whose output is quantized ({@code x} for the model input)
 * @param quantNode the quantized graph's node ({@code <layer>_post_act_fake_quantizer})
 * @param bits the activation quantizer's bit width (the io rule keeps the input and the last layer's
 *     input at 8)
 * @param clean mean relative drift on clean images, ≥ 0
 * @param triggered mean relative drift on the same images with the trigger applied; null without a
 *     trigger
 */
public record LayerDrift(String layer, String quantNode, int bits, double clean, Double triggered) {
    public LayerDrift {
        if (!(clean >= 0) || (triggered != null && !(triggered >= 0))) {
            throw new IllegalArgumentException("drift at '" + layer + "': expected finite values >= 0, got clean "
                    + clean + ", triggered " + triggered);
        }
    }

    /** {@code triggered / clean}, or null without a trigger (or with zero clean drift). */
    public Double ratio() {
        return triggered == null || clean == 0 ? null : triggered / clean;
    }
}
