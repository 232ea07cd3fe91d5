package io.lac4j.data;

/**
 * torchvision's {@code ToTensor} for uint8 images: {@code x.float().div(255)}, a float32 division
 * per value (bit-identical to PyTorch). Input is already CHW.
 */
public final class ToTensor {
    private ToTensor() {}

    /** CHW uint8 to CHW float32 in [0, 1]. */
    public static FloatImage apply(byte[] chw, int channels, int height, int width) {
        float[] out = new float[chw.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (chw[i] & 0xff) / 255f;
        }
        return new FloatImage(out, channels, height, width);
    }
}
