package io.lac4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Triggers given as patch:/blend: specs: where they land, what they write, canonical names, refusals. */
class TriggerSpecTest {
    static FloatImage grey(int c, int h, int w, float v) {
        float[] d = new float[c * h * w];
        java.util.Arrays.fill(d, v);
        return new FloatImage(d, c, h, w);
    }

    @Test
    void aCheckerPatchLandsAtItsColumnAndRow() {
        Trigger t = Trigger.byName("patch:size=3,x=2,y=5,pattern=checker");
        FloatImage img = t.stamp(grey(1, 8, 8, 0.5f), Normalization.identity(1));
        assertThat(img.data()[img.index(0, 5, 2)]).isEqualTo(1f);
        assertThat(img.data()[img.index(0, 5, 3)]).isEqualTo(0f);
        assertThat(img.data()[img.index(0, 7, 4)]).isEqualTo(1f);
        assertThat(img.data()[img.index(0, 4, 2)]).isEqualTo(0.5f);   // above the patch
        assertThat(img.data()[img.index(0, 5, 5)]).isEqualTo(0.5f);   // right of it
        assertThat(t.name()).isEqualTo("patch:size=3,x=2,y=5,pattern=checker");
        assertThat(t.placement()).isEqualTo(Trigger.Placement.BEFORE_NORMALIZE);
    }

    @Test
    void negativeCoordinatesCountFromTheRightAndBottom() {
        Trigger t = Trigger.byName("patch:size=2,x=-1,y=-1");
        FloatImage img = t.stamp(grey(3, 6, 6, 0f), Normalization.identity(3));
        for (int c = 0; c < 3; c++) {
            assertThat(img.data()[img.index(c, 5, 5)]).isEqualTo(1f);
            assertThat(img.data()[img.index(c, 4, 4)]).isEqualTo(1f);
            assertThat(img.data()[img.index(c, 3, 4)]).isEqualTo(0f);
        }
        assertThat(t.name()).isEqualTo("patch:size=2,x=-1,y=-1,pattern=white");
    }

    @Test
    void randomPatternsAreSeededAndBlendsMixTheWholeImage() {
        FloatImage a = Trigger.byName("patch:size=4,x=0,y=0,pattern=random,seed=3").stamp(grey(1, 4, 4, 0f), Normalization.identity(1));
        FloatImage b = Trigger.byName("patch:size=4,x=0,y=0,pattern=random,seed=3").stamp(grey(1, 4, 4, 0f), Normalization.identity(1));
        FloatImage c = Trigger.byName("patch:size=4,x=0,y=0,pattern=random,seed=4").stamp(grey(1, 4, 4, 0f), Normalization.identity(1));
        assertThat(a.data()).containsExactly(b.data());
        assertThat(a.data()).isNotEqualTo(c.data());
        FloatImage blended = Trigger.byName("blend:alpha=0.25,pattern=white").stamp(grey(1, 4, 4, 0.2f), Normalization.identity(1));
        assertThat(blended.data()).containsOnly((1 - 0.25f) * 0.2f + 0.25f * 1f);
    }

    @Test
    void aPngPatternIsReadPixelByPixel(@TempDir Path dir) throws Exception {
        BufferedImage png = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        png.getRaster().setSample(1, 0, 0, 255);
        png.getRaster().setSample(0, 1, 0, 51);
        Path f = dir.resolve("t.png");
        ImageIO.write(png, "png", f.toFile());
        FloatImage img = Trigger.byName("patch:size=2,x=0,y=0,pattern=png:" + f).stamp(grey(1, 3, 3, 0.5f), Normalization.identity(1));
        assertThat(img.data()[img.index(0, 0, 0)]).isEqualTo(0f);
        assertThat(img.data()[img.index(0, 0, 1)]).isEqualTo(1f);
        assertThat(img.data()[img.index(0, 1, 0)]).isEqualTo(0.2f);
        assertThat(img.data()[img.index(0, 2, 2)]).isEqualTo(0.5f);
        assertThatThrownBy(() -> Trigger.byName("patch:size=3,x=0,y=0,pattern=png:" + f))
                .hasMessageContaining("a 3x3 PNG for a size-3 patch, got 2x2");
        Files.writeString(dir.resolve("not.png"), "text");
        assertThatThrownBy(() -> Trigger.byName("patch:size=2,x=0,y=0,pattern=png:" + dir.resolve("not.png")))
                .hasMessageContaining("is not one");
    }

    @Test
    void badSpecsSayWhatWasExpected() {
        assertThatThrownBy(() -> Trigger.byName("patch:size=3,x=1")).hasMessageContaining("'y' is missing");
        assertThatThrownBy(() -> Trigger.byName("patch:size=3,x=1,y=1,colour=red")).hasMessageContaining("got 'colour'");
        assertThatThrownBy(() -> Trigger.byName("patch:size=3,x=1,y=1,pattern=stripes")).hasMessageContaining("got 'stripes'");
        assertThatThrownBy(() -> Trigger.byName("blend:alpha=1.5")).hasMessageContaining("alpha in (0, 1]");
        assertThatThrownBy(() -> Trigger.byName("patch:size=x,x=1,y=1")).hasMessageContaining("size an integer");
        assertThatThrownBy(() -> Trigger.byName("sqare")).hasMessageContaining("patch:size=S");
        Trigger big = Trigger.byName("patch:size=5,x=26,y=0");
        assertThatThrownBy(() -> big.stamp(grey(1, 28, 28, 0f), Normalization.identity(1)))
                .hasMessageContaining("does not fit a 28x28 image");
    }
}
