package io.lac4j.quant;

/** What a fake quantizer sits on; state helpers select quantizers by role, never by name. */
public enum QuantizerRole {
    /** The weight of a Conv2d/Linear ({@code <module>.weight_fake_quant}). */
    WEIGHT,
    /** An activation feeding a Conv2d/Linear ({@code <node>_post_act_fake_quantizer}). */
    ACTIVATION
}
