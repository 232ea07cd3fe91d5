package io.lac4j.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.lac4j.data.Normalization;
import io.lac4j.engine.Engines;
import io.lac4j.engine.Progress;
import io.lac4j.testing.Poisoned;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scan on synthetic 1×12×12 ten-class models whose answer is known: a prototype classifier with a
 * margin no 8 % patch can overcome, and a planted rule "bright 3×3 bottom-right corner ⇒ class 3" in
 * the quantized model only (a QCB), in both models (an FP backdoor) or nowhere (clean).
 */
class ScannerTest {
    static final int S = 12;
    static final int HW = S * S;
    static final int CLASSES = 10;
    static final ScanConfig CFG = new ScanConfig(60, 16, 0.08, 1.0, 0.1, 0.25, 2.0, 0.05, 0.5, 0.2, 0.08);
    static NDManager root;
    static float[] prototypes = new float[CLASSES * HW];
    static float[] images;

    @BeforeAll
    static void setUp() {
        Engines.start(1);
        root = Engines.newBaseManager();
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < prototypes.length; i++) {
            prototypes[i] = rng.nextBoolean() ? 1f : -1f;
        }
        int n = 200;
        images = new float[n * HW];
        for (int i = 0; i < n; i++) {
            int y = i % CLASSES;
            for (int p = 0; p < HW; p++) {
                images[i * HW + p] = 0.25f + 0.2f * prototypes[y * HW + p];
            }
        }
    }

    @AfterAll
    static void tearDown() {
        root.close();
    }

    /** Logits 0.5·⟨x − 0.25, P_c⟩, plus 60·σ(20·(mean of the corner − 0.6)) on class 3 when {@code planted}. */
    static UnaryOperator<NDArray> model(boolean planted) {
        return x -> {
            NDManager m = x.getManager();
            long n = x.getShape().get(0);
            NDArray p = m.create(prototypes, new Shape(CLASSES, HW)).transpose();
            NDArray logits = x.reshape(n, HW).sub(Engines.scalar(m, 0.25)).matMul(p).mul(Engines.scalar(m, 0.5));
            if (!planted) {
                return logits;
            }
            NDArray corner = x.get(":, :, 9:12, 9:12").reshape(n, 9).mean(new int[] {1}, true);
            NDArray boost = Activation.sigmoid(corner.sub(Engines.scalar(m, 0.6)).mul(Engines.scalar(m, 20)))
                    .mul(Engines.scalar(m, 60));
            float[] hot = new float[CLASSES];
            hot[3] = 1f;
            return logits.add(boost.matMul(m.create(hot, new Shape(1, CLASSES))));
        };
    }

    static ScanResult scan(boolean fpPlanted, boolean quantizedPlanted) {
        return Scanner.scan(model(fpPlanted), model(quantizedPlanted), images, new int[] {1, S, S}, CLASSES,
                Normalization.identity(1), CFG, 11, Progress.NONE, root);
    }

    @Test
    void aRuleOnlyTheQuantizedModelFollowsIsAQcbWithItsTargetAndPattern() {
        ScanResult r = scan(false, true);
        assertThat(r.verdict()).isEqualTo(new ScanVerdict(ScanVerdict.Kind.QCB_SUSPECTED, 3));
        ClassScore c3 = r.classes().get(3);
        assertThat(c3.flipQuantized()).isGreaterThan(0.8);
        assertThat(c3.flipFp()).isLessThan(0.2);
        // the recovered mask sits on the planted corner
        RecoveredTrigger t = r.suspect();
        double inCorner = 0;
        double total = 0;
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                total += t.mask()[y * S + x];
                if (y >= 9 && x >= 9) {
                    inCorner += t.mask()[y * S + x];
                }
            }
        }
        assertThat(inCorner / total).isGreaterThan(0.5);
        assertThat(t.area()).isLessThanOrEqualTo(CFG.budget() + 1e-6);
        // the trigger-free residual on a model without the rule is small, on the scanned one it is the flip rate
        assertThat(Scanner.residual(model(false), r, t, Normalization.identity(1), root)).isLessThan(0.2);
        assertThat(Scanner.residual(model(true), r, t, Normalization.identity(1), root)).isEqualTo(c3.flipQuantized());
    }

    @Test
    void refinementTakesAShortSearchsPatternFurtherWithoutChangingTheVerdict() {
        ScanConfig shortSearch = CFG.withSteps(SHORT);
        ScanResult coarse = Scanner.scan(model(false), model(true), images, new int[] {1, S, S}, CLASSES,
                Normalization.identity(1), shortSearch, 11, Progress.NONE, root);
        ScanResult refined = Scanner.scan(model(false), model(true), images, new int[] {1, S, S}, CLASSES,
                Normalization.identity(1), shortSearch.withRefineSteps(80), 11, Progress.NONE, root);
        assertThat(coarse.refined()).isNull();
        assertThat(coarse.phaseSeconds().keySet()).containsExactlyElementsOf(ScanResult.PHASES.subList(0, 3));
        assertThat(refined.phaseSeconds().keySet()).containsExactlyElementsOf(ScanResult.PHASES);
        assertThat(refined.phaseSeconds().values()).allSatisfy(s -> assertThat(s).isPositive());
        assertThat(refined.verdict()).isEqualTo(coarse.verdict()).isEqualTo(new ScanVerdict(ScanVerdict.Kind.QCB_SUSPECTED, 3));
        assertThat(refined.classes()).isEqualTo(coarse.classes());
        ScanResult.Refined r = refined.refined();
        assertThat(r.trigger().targetClass()).isEqualTo(3);
        assertThat(r.steps()).isEqualTo(80);
        assertThat(r.flipQuantized()).isGreaterThanOrEqualTo(coarse.classes().get(3).flipQuantized()).isGreaterThan(0.9);
        assertThat(r.flipFp()).isLessThan(0.2);
        assertThat(r.trigger().area()).isLessThanOrEqualTo(CFG.budget() + 1e-6);
        assertThat(refined.suspect()).isSameAs(r.trigger());
        assertThat(refined.suspectFlipQuantized()).isEqualTo(r.flipQuantized());
        assertThat(Scanner.scan(model(false), model(false), images, new int[] {1, S, S}, CLASSES, Normalization.identity(1),
                shortSearch.withRefineSteps(80), 11, Progress.NONE, root).refined()).as("nothing found, nothing refined").isNull();
    }

    @Test
    void theRefinementMayUseAMaskBudgetOfItsOwnAndOnlyThat() {
        double larger = CFG.budget() * 1.5;
        ScanResult r = Scanner.scan(model(false), model(true), images, new int[] {1, S, S}, CLASSES,
                Normalization.identity(1), CFG.withSteps(SHORT).withRefineSteps(80).withRefineBudget(larger), 11,
                Progress.NONE, root);
        assertThat(r.verdict()).isEqualTo(new ScanVerdict(ScanVerdict.Kind.QCB_SUSPECTED, 3));
        assertThat(r.classes()).allSatisfy(c -> assertThat(c.area()).isLessThanOrEqualTo(CFG.budget() + 1e-6));
        ScanResult same = Scanner.scan(model(false), model(true), images, new int[] {1, S, S}, CLASSES,
                Normalization.identity(1), CFG.withSteps(SHORT).withRefineSteps(80), 11, Progress.NONE, root);
        assertThat(r.refined().trigger().area()).as("the refinement's own budget, used")
                .isLessThanOrEqualTo(larger + 1e-6).isGreaterThan(same.refined().trigger().area() + 1e-3);
    }

    /** Steps of a short search that still finds the rule. */
    static final int SHORT = 30;

    @Test
    void refinementFindsThePlantedCornerFromABlankStart() {
        float[] flat = new float[HW];
        java.util.Arrays.fill(flat, (float) CFG.budget());
        float[] grey = new float[HW];
        java.util.Arrays.fill(grey, 0.5f);
        RecoveredTrigger blank = new RecoveredTrigger(3, 1, S, S, flat, grey, CFG.budget());
        int[] reference = FlipRate.top1(model(false), images, new int[] {1, S, S}, root);
        assertThat(FlipRate.of(model(true), blank, images, reference, new int[] {1, S, S}, Normalization.identity(1), root))
                .isLessThan(0.2);
        TriggerInversion.Refined refined = TriggerInversion.refine(model(true), model(false), images, reference,
                new int[] {1, S, S}, CLASSES, Normalization.identity(1), CFG.budget(), CFG.fpWeight(), blank,
                TriggerInversion.Refinement.plain(80, 32), 0.3, 5, Progress.NONE, "refine", root);
        assertThat(refined.step()).as("plain refinement keeps the last step").isEqualTo(80);
        RecoveredTrigger t = refined.trigger();
        assertThat(t.targetClass()).isEqualTo(3);
        assertThat(FlipRate.of(model(true), t, images, reference, new int[] {1, S, S}, Normalization.identity(1), root))
                .isGreaterThan(0.8);
        assertThat(FlipRate.of(model(false), t, images, reference, new int[] {1, S, S}, Normalization.identity(1), root))
                .isLessThan(0.2);
        double inCorner = 0;
        for (int y = 9; y < S; y++) {
            for (int x = 9; x < S; x++) {
                inCorner += t.mask()[y * S + x];
            }
        }
        assertThat(inCorner / (t.area() * HW)).isGreaterThan(0.5);
    }

    @Test
    void selectionKeepsTheBestScoringSnapshotTheStartIncluded() {
        int[] chw = {1, S, S};
        int[] reference = FlipRate.top1(model(false), images, chw, root);
        RecoveredTrigger found = Scanner.scan(model(false), model(true), images, chw, CLASSES, Normalization.identity(1),
                CFG.withSteps(SHORT), 11, Progress.NONE, root).differential().get(3);
        // a learning rate far too large for these logits throws a good start away; selection must not follow it
        double lr = 300;
        TriggerInversion.Refined last = TriggerInversion.refine(model(true), model(false), images, reference, chw, CLASSES,
                Normalization.identity(1), CFG.budget(), CFG.fpWeight(), found, TriggerInversion.Refinement.plain(20, 32), lr,
                5, Progress.NONE, "refine", root);
        TriggerInversion.Refined kept = TriggerInversion.refine(model(true), model(false), images, reference, chw, CLASSES,
                Normalization.identity(1), CFG.budget(), CFG.fpWeight(), found,
                new TriggerInversion.Refinement(20, 32, 5, images.length / HW, 0), lr, 5, Progress.NONE, "refine", root);
        double start = score(found, reference);
        assertThat(score(last.trigger(), reference)).as("the unselected run ends below its start").isLessThan(start);
        assertThat(kept.step()).isIn(0, 5, 10, 15, 20);
        assertThat(score(kept.trigger(), reference)).isGreaterThanOrEqualTo(start);
    }

    @Test
    void eachClassKeepsTheDrawScoringBestAndTheFirstDrawIsTheSearchOfOneDraw() {
        int[] chw = {1, S, S};
        int[] reference = FlipRate.top1(model(false), images, chw, root);
        assertThat(reference.length).as("every image scores the draws").isLessThanOrEqualTo(Scanner.SCORED_IMAGES);
        ScanConfig cfg = CFG.withSteps(SHORT);
        Scanner.Draws one = Scanner.differentialSearch(model(false), model(true), images, reference, chw, CLASSES,
                Normalization.identity(1), cfg, 11, Progress.NONE, root);
        Scanner.Draws three = Scanner.differentialSearch(model(false), model(true), images, reference, chw, CLASSES,
                Normalization.identity(1), cfg.withDraws(3), 11, Progress.NONE, root);
        assertThat(one.choice()).as("one draw: nothing to choose, nothing scored").isNull();
        ScanResult.DrawChoice c = three.choice();
        assertThat(c.scoredImages()).isEqualTo(reference.length);
        for (int k = 0; k < CLASSES; k++) {
            double[] s = c.scores()[k];
            assertThat(s).hasSize(3);
            assertThat(s[0]).as("draw 1 is the one-draw search").isEqualTo(score(one.kept().get(k), reference));
            int best = 0;
            for (int r = 1; r < 3; r++) {
                best = s[r] > s[best] ? r : best;
            }
            assertThat(c.kept()[k]).isEqualTo(best);
            assertThat(score(three.kept().get(k), reference)).isEqualTo(s[best]);
            if (best == 0) {
                assertThat(three.kept().get(k).pattern()).containsExactly(one.kept().get(k).pattern());
            }
        }
        Scanner.Draws second = Scanner.differentialSearch(model(false), model(true), images, reference, chw, CLASSES,
                Normalization.identity(1), cfg, 11 + Scanner.DRAW_SEED_STRIDE, Progress.NONE, root);
        for (int k = 0; k < CLASSES; k++) {
            assertThat(c.scores()[k][1]).as("draw 2 is the search from the next seed").isEqualTo(score(second.kept().get(k), reference));
        }
        assertThat(second.kept().get(3).pattern()).as("another start, another pattern").isNotEqualTo(one.kept().get(3).pattern());
        ScanResult r = Scanner.scan(model(false), model(true), images, chw, CLASSES, Normalization.identity(1),
                CFG.withSteps(SHORT).withDraws(2), 11, Progress.NONE, root);
        assertThat(r.verdict()).isEqualTo(new ScanVerdict(ScanVerdict.Kind.QCB_SUSPECTED, 3));
        assertThat(r.draws().kept()).hasSize(CLASSES);
    }

    @Test
    void aSecondLookJudgesTheRefinedPatternOfAClassWhoseSearchPatternStandsOutButFellShort() {
        int[] chw = {1, S, S};
        // a search stopped early enough that class 3 stands out but flips too few predictions for the QCB rule
        ScanConfig shortFall = null;
        long seed = 0;
        for (int steps = 16; steps <= SHORT && shortFall == null; steps += 2) {
            for (long s = 11; s <= 13 && shortFall == null; s++) {
                ScanResult r = Scanner.scan(model(false), model(true), images, chw, CLASSES, Normalization.identity(1),
                        CFG.withSteps(steps), s, Progress.NONE, root);
                ClassScore c3 = r.classes().get(3);
                if (r.verdict().kind() == ScanVerdict.Kind.NO_QCB && c3.anomalyIndex() >= CFG.anomaly()
                        && c3.flipQuantized() < CFG.minFlip()) {
                    shortFall = CFG.withSteps(steps).withRefineSteps(80);
                    seed = s;
                }
            }
        }
        assertThat(shortFall).as("a search that stands class 3 out short of the flip floor").isNotNull();
        ScanResult plain = Scanner.scan(model(false), model(true), images, chw, CLASSES, Normalization.identity(1), shortFall,
                seed, Progress.NONE, root);
        ScanResult second = Scanner.scan(model(false), model(true), images, chw, CLASSES, Normalization.identity(1),
                shortFall.withSecondLook(true), seed, Progress.NONE, root);
        assertThat(plain.verdict().kind()).isEqualTo(ScanVerdict.Kind.NO_QCB);
        assertThat(plain.secondLook()).isNull();
        assertThat(plain.refined()).as("nothing named, nothing refined").isNull();
        assertThat(second.classes()).as("the search itself is the same").isEqualTo(plain.classes());
        assertThat(second.verdict()).isEqualTo(new ScanVerdict(ScanVerdict.Kind.QCB_SUSPECTED, 3));
        ScanResult.Refined look = second.secondLook();
        assertThat(look.trigger().targetClass()).isEqualTo(3);
        assertThat(look.flipQuantized()).isGreaterThanOrEqualTo(CFG.minFlip());
        assertThat(look.flipFp()).isLessThan(CFG.maxFpFlip());
        assertThat(second.refined()).as("the confirmed pattern is the recovered one").isSameAs(look);
        // too short a refinement cannot lift it: the look is recorded, the verdict stays
        ScanResult tooShort = Scanner.scan(model(false), model(true), images, chw, CLASSES, Normalization.identity(1),
                shortFall.withRefineSteps(1).withSecondLook(true), seed, Progress.NONE, root);
        assertThat(tooShort.secondLook()).isNotNull();
        assertThat(tooShort.secondLook().flipQuantized()).isLessThan(CFG.minFlip());
        assertThat(tooShort.verdict().kind()).isEqualTo(ScanVerdict.Kind.NO_QCB);
        assertThat(tooShort.refined()).isNull();
        // a model without the rule has no class to look at twice
        ScanResult clean = Scanner.scan(model(false), model(false), images, chw, CLASSES, Normalization.identity(1),
                shortFall.withSecondLook(true), seed, Progress.NONE, root);
        assertThat(clean.verdict().kind()).isEqualTo(ScanVerdict.Kind.NO_QCB);
        assertThat(clean.secondLook()).isNull();
    }

    private static double score(RecoveredTrigger t, int[] reference) {
        int[] chw = {1, S, S};
        double score = FlipRate.difference(model(true), model(false), t, images, reference, chw, Normalization.identity(1), root);
        assertThat(score).isEqualTo(FlipRate.of(model(true), t, images, reference, chw, Normalization.identity(1), root)
                - FlipRate.of(model(false), t, images, reference, chw, Normalization.identity(1), root));
        return score;
    }

    /** Class 3's pattern from a short search of the planted QCB: where the refinement tests start. */
    private static RecoveredTrigger shortSearchStart() {
        return Scanner.scan(model(false), model(true), images, new int[] {1, S, S}, CLASSES, Normalization.identity(1),
                CFG.withSteps(SHORT), 11, Progress.NONE, root).differential().get(3);
    }

    /** {@code start} refined 10 steps with the FP term at {@code weight} and FP margin {@code margin}. */
    private static RecoveredTrigger refined(RecoveredTrigger start, double weight, double margin) {
        int[] chw = {1, S, S};
        int[] reference = FlipRate.top1(model(false), images, chw, root);
        return TriggerInversion.refine(model(true), model(false), images, reference, chw, CLASSES,
                Normalization.identity(1), CFG.budget(), weight, start, new TriggerInversion.Refinement(10, 32, 0, 0, margin),
                0.3, 5, Progress.NONE, "refine", root).trigger();
    }

    @Test
    void theFpMarginSilencesTheFpTermWhileTheFpModelKeepsItsClassAndOnlyThen() {
        RecoveredTrigger start = shortSearchStart();
        java.util.function.BiFunction<Double, Double, float[]> pattern = (weight, margin) ->
                refined(start, weight, margin).pattern();
        float[] noFpTerm = pattern.apply(0.0, 0.0);
        assertThat(pattern.apply(2.0, 1e6)).as("a margin no image reaches: as if the FP term were off")
                .containsExactly(noFpTerm, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(pattern.apply(2.0, 0.0)).as("no margin: the FP term acts").isNotEqualTo(noFpTerm);
    }

    @Test
    void theRefinementWithItsFpMarginComputesTheSameWhenFreedBuffersArePoisoned() {
        RecoveredTrigger start = shortSearchStart();
        java.util.function.Supplier<RecoveredTrigger> refine = () ->
                refined(start, 2.0, ScanConfig.DEFAULT.refineFpMargin());
        RecoveredTrigger clean = Poisoned.never(refine);
        RecoveredTrigger poisoned = Poisoned.everyPass(refine);
        assertThat(poisoned.mask()).containsExactly(clean.mask());
        assertThat(poisoned.pattern()).containsExactly(clean.pattern());
    }

    @Test
    void aRuleBothModelsFollowIsAnFpBackdoor() {
        ScanResult r = scan(true, true);
        assertThat(r.verdict()).isEqualTo(new ScanVerdict(ScanVerdict.Kind.FP_BACKDOOR, 3));
        assertThat(r.classes().get(3).fpOnlyFlip()).isGreaterThan(0.8);
        assertThat(r.classes().get(3).fpOnlyFlipQuantized()).as("the deployment follows the FP backdoor").isGreaterThan(0.8);
    }

    @Test
    void anFpOnlyPatternIsMeasuredOnTheQuantizedModelToo() {
        ScanResult r = scan(true, false);
        assertThat(r.classes().get(3).fpOnlyFlip()).as("the FP model follows the rule").isGreaterThan(0.8);
        assertThat(r.classes().get(3).fpOnlyFlipQuantized()).as("the quantized model does not").isLessThan(0.2);
        assertThat(r.verdict()).as("a lean of the FP checkpoint that the deployment does not follow")
                .isEqualTo(new ScanVerdict(ScanVerdict.Kind.NO_QCB, null, 3));
        assertThat(r.verdict().text()).isEqualTo("no QCB found");
    }

    @Test
    void modelsWithoutARuleAreClean() {
        ScanResult r = scan(false, false);
        assertThat(r.verdict().kind()).isEqualTo(ScanVerdict.Kind.NO_QCB);
        assertThat(r.verdict().text()).isEqualTo("no QCB found");
        assertThat(r.classes()).allSatisfy(c -> assertThat(c.flipQuantized()).isLessThan(0.5));
    }

    @Test
    void aPatternOnlyTheQuantizedModelFollowsOutranksAnFpModelLeaningToTheSameClass() {
        ClassScore plain = new ClassScore(1, 0.05, 0.1, 0.10, 0.05, 0.30, 0.30, 0.1, 0.04);
        // class 0: a quantized-only pattern (64 % vs 13 %) and an FP model a 2 % pattern sends there (95 %)
        ClassScore both = new ClassScore(0, 0.51, 6.4, 0.64, 0.13, 0.95, 0.95, 6.0, 0.04);
        assertThat(ScanVerdict.decide(java.util.List.of(both, plain), CFG)).isEqualTo(new ScanVerdict(ScanVerdict.Kind.QCB_SUSPECTED, 0));
        // the FP model flipped too by the differential pattern: not quantization-conditioned, an FP backdoor
        ClassScore fpToo = new ClassScore(0, 0.23, 2.9, 0.45, 0.22, 0.93, 0.93, 6.0, 0.04);
        assertThat(ScanVerdict.decide(java.util.List.of(fpToo, plain), CFG)).isEqualTo(new ScanVerdict(ScanVerdict.Kind.FP_BACKDOOR, 0));
        assertThat(ScanVerdict.decide(java.util.List.of(plain, plain), CFG)).isEqualTo(new ScanVerdict(ScanVerdict.Kind.NO_QCB, null));
    }

    @Test
    void anFpBackdoorIsAFindingOnlyWhenTheQuantizedModelFollowsItToo() {
        ClassScore plain = new ClassScore(1, 0.05, 0.1, 0.10, 0.05, 0.30, 0.30, 0.1, 0.04);
        // BadNets measured: the FP-only pattern flips 92.9 % of FP and 88.8 % of the quantized model
        ClassScore badnets = new ClassScore(3, 0.23, 1.5, 0.45, 0.22, 0.929, 0.888, 3.0, 0.04);
        assertThat(ScanVerdict.decide(java.util.List.of(badnets, plain), CFG)).isEqualTo(new ScanVerdict(ScanVerdict.Kind.FP_BACKDOOR, 3));
        // at the flip a finding needs, still a finding; just under it, a lean of the FP checkpoint only
        ClassScore atBar = new ClassScore(3, 0.23, 1.5, 0.45, 0.22, 0.929, CFG.minFlip(), 3.0, 0.04);
        assertThat(ScanVerdict.decide(java.util.List.of(atBar, plain), CFG).kind()).isEqualTo(ScanVerdict.Kind.FP_BACKDOOR);
        ClassScore purified = new ClassScore(5, 0.01, 0.3, 0.05, 0.04, 0.931, 0.103, 3.4, 0.04);
        ClassScore justUnder = new ClassScore(5, 0.01, 0.3, 0.05, 0.04, 0.931, Math.nextDown(CFG.minFlip()), 3.4, 0.04);
        for (ClassScore lean : java.util.List.of(purified, justUnder)) {
            ScanVerdict v = ScanVerdict.decide(java.util.List.of(plain, lean), CFG);
            assertThat(v).isEqualTo(new ScanVerdict(ScanVerdict.Kind.NO_QCB, null, 5));
            assertThat(v.text()).isEqualTo("no QCB found");
        }
        // an FP-only pattern that does not stand out is no lean at all
        ClassScore ordinary = new ClassScore(5, 0.01, 0.3, 0.05, 0.04, 0.931, 0.103, 1.0, 0.04);
        assertThat(ScanVerdict.decide(java.util.List.of(plain, ordinary), CFG).fpLean()).isNull();
        assertThatThrownBy(() -> new ScanVerdict(ScanVerdict.Kind.FP_BACKDOOR, 3, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only with no QCB found");
    }

    @Test
    void anomalyIndexIsRobustAndFloored() {
        double[] ai = AnomalyIndex.of(new double[] {0, 0.01, 0.02, 0.9, 0.01}, 0.05);
        assertThat(ai[3]).isGreaterThan(10);
        assertThat(ai[0]).isLessThan(0);
        for (double v : AnomalyIndex.of(new double[] {0.001, 0.002, 0.003}, 0.05)) {
            assertThat(Math.abs(v)).isLessThan(0.1);
        }
    }

    @Test
    void tooFewImagesAreRefusedWithTheCount() {
        float[] few = java.util.Arrays.copyOf(images, 10 * HW);
        assertThatThrownBy(() -> Scanner.scan(model(false), model(true), few, new int[] {1, S, S}, CLASSES,
                Normalization.identity(1), CFG, 1, Progress.NONE, root))
                .hasMessageContaining("10 clean images are too few");
    }

    @Test
    void theDefensesSearchReturnsThePlantedClassFirstAndNoRunnerUpFarBehindIt() {
        java.util.List<RecoveredTrigger> ps = Scanner.strongestPatterns(model(false), model(true), images, new int[] {1, S, S},
                CLASSES, Normalization.identity(1), CFG.withRefineSteps(30), 0.75, 1, Progress.NONE, root);
        assertThat(ps).hasSize(1);
        assertThat(ps.get(0).targetClass()).isEqualTo(3);
    }

    @Test
    void theRunnerUpIsKeptOnlyWhenCloseToAPositiveBest() {
        assertThat(Scanner.strongestClasses(new double[] {0.23, 0.0, 0.09, 0.26, 0.18}, 0.75)).containsExactly(3, 0);
        assertThat(Scanner.strongestClasses(new double[] {0.10, 0.0, 0.09, 0.26, 0.18}, 0.75)).containsExactly(3);
        assertThat(Scanner.strongestClasses(new double[] {0.0, 0.5, 0.0}, 0.75)).containsExactly(1);
        assertThat(Scanner.strongestClasses(new double[] {-0.1, -0.1, -0.2}, 0.75)).containsExactly(0);
    }
}
