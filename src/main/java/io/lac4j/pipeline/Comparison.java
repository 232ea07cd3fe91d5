package io.lac4j.pipeline;

import io.lac4j.defense.Defense;
import io.lac4j.defense.DefenseOptions;
import io.lac4j.defense.Defenses;
import io.lac4j.engine.Progress;
import io.lac4j.eval.PhaseMetrics;
import io.lac4j.quant.QuantConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code lac4j compare}: runs {@link Defending} for each bit width, seed and defense, then
 * aggregates mean ± std per (defense, bits). DER is measured against the deployment's naive PTQ
 * (the protocol's {@link io.lac4j.quant.Deployment}, MQBench Academic by default) of the same bits
 * and seed, also for defenses whose own "naive" quantizer differs (minmax, lac-act), so every row
 * has the same baseline.
 */
final class Comparison {
    private Comparison() {}

    static CompareResult run(CompareRequest req, Progress progress) {
        java.time.Instant started = java.time.Instant.now();
        List<DefendResult> runs = new ArrayList<>();
        List<ComparisonDocument.Run> flat = new ArrayList<>();
        BaselineMemo memo = BaselineMemo.forOneModel();
        for (int bits : req.bits()) {
            for (int s = 0; s < req.seeds(); s++) {
                DefenseProtocol p = req.protocol().withBits(bits).withSeed(req.protocol().seed() + s);
                List<DefendResult> group = new ArrayList<>();
                for (Defense d : req.defenses()) {
                    group.add(Defending.run(new DefendRequest(d, p, io.lac4j.ptq.EfrapConfig.EFRAP, DefendRequest.DEFAULT_PRUNE_RATIO,
                            null, req.scan(), req.rangeSweep()), memo, progress));
                }
                PhaseMetrics deployment = deploymentNaive(group, p, memo, progress);
                for (DefendResult r : group) {
                    PhaseMetrics m = r.defended();
                    flat.add(new ComparisonDocument.Run(r.defense().name(), bits, p.seed(), Results.round(m.cda()),
                            Results.round(m.asrAll()), Results.round(m.asrNt()), Defending.der(deployment, m),
                            Results.round(r.seconds()), residual(r), worstOverSweep(r)));
                }
                runs.addAll(group);
            }
        }
        List<ComparisonRow> rows = new ArrayList<>();
        for (int bits : req.bits()) {
            for (Defense d : req.defenses()) {
                List<ComparisonDocument.Run> mine = flat.stream()
                        .filter(r -> r.bits() == bits && r.defense().equals(d.name())).toList();
                rows.add(new ComparisonRow(d.name(), bits, mine.size(), stat(mine, r -> r.cda()),
                        stat(mine, ComparisonDocument.Run::asr), stat(mine, ComparisonDocument.Run::asrNoTarget),
                        stat(mine, ComparisonDocument.Run::der), stat(mine, r -> r.seconds()),
                        req.scan() == null ? null : stat(mine, ComparisonDocument.Run::residual),
                        req.rangeSweep().isEmpty() ? null : stat(mine, ComparisonDocument.Run::worstAsrNoTargetOverSweep)));
            }
        }
        ResultDocument first = runs.get(0).document();
        ComparisonDocument doc = new ComparisonDocument(ComparisonDocument.SCHEMA, "compare", first.model(), first.data(),
                settings(req), rows, flat, RunProvenance.current(started, req.protocol().seed(), req));
        return new CompareResult(runs, doc);
    }

    /**
     * The deployment's naive PTQ of this bits/seed: from any run that calibrated on the deployment's
     * grid (same schemes and observers: not minmax, lac-act; EFRAP's and AdaRound's quantizers start
     * at nearest rounding), else measured by a naive run of its own (not a row of the table).
     */
    private static PhaseMetrics deploymentNaive(List<DefendResult> group, DefenseProtocol p, BaselineMemo memo,
                                                Progress progress) {
        return group.stream().filter(r -> sameGrid(r.defense().quantizer(p.quantizer()), p.quantizer()))
                .map(DefendResult::naive).findFirst()
                .orElseGet(() -> Defending.run(new DefendRequest(Defenses.byName("naive", "compare"), p), memo, progress).naive());
    }

    /**
     * The highest ASR-no-target of the run's defended model at the calibrated ranges and over its range sweep; null
     * without a sweep or a trigger, or when the defense left the naive model as it was (no sweep ran).
     */
    private static Double worstOverSweep(DefendResult r) {
        Map<String, List<ResultDocument.RangePoint>> sweep = r.document().rangeSweep();
        if (sweep == null || r.defended() == null || r.defended().asrNt() == null) {
            return null;
        }
        double worst = r.defended().asrNt();
        for (List<ResultDocument.RangePoint> points : sweep.values()) {
            for (ResultDocument.RangePoint p : points) {
                if (p.asrNoTarget() != null) {
                    worst = Math.max(worst, p.asrNoTarget());
                }
            }
        }
        return Results.round(worst);
    }

    /** The scan's suspect pattern on the run's defended model (its naive model when the defense left it as it was). */
    private static Double residual(DefendResult r) {
        ResultDocument.ScanSection s = r.document().scan();
        if (s == null) {
            return null;
        }
        Double v = s.residual().get(r.defense().phase());
        return v != null ? v : s.residual().get("naive_ptq");
    }

    private static boolean sameGrid(QuantConfig a, QuantConfig b) {
        return a.weight().equals(b.weight()) && a.activation().equals(b.activation())
                && a.weightObserver() == b.weightObserver() && a.activationObserver() == b.activationObserver();
    }

    private static ComparisonRow.Stat stat(List<ComparisonDocument.Run> runs, Function<ComparisonDocument.Run, Double> f) {
        return ComparisonRow.Stat.of(runs.stream().map(f).toList());
    }

    private static Map<String, Object> settings(CompareRequest req) {
        DefenseProtocol p = req.protocol();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("defenses", req.defenses().stream().map(Defense::name).toList());
        s.put("deployment", p.deployment().configName());
        Map<String, String> widths = new LinkedHashMap<>();
        req.bits().forEach(b -> widths.put(String.valueOf(b), p.widths(b)));
        s.put("widths", widths);
        s.put("bits", req.bits());
        s.put("seeds", java.util.stream.LongStream.range(0, req.seeds()).map(i -> p.seed() + i).boxed().toList());
        s.put("cali_batchsize", p.calibrationBatches());
        s.put("max_count", p.maxCount());
        if (p.epochs() != DefenseOptions.OWN_EPOCHS) {
            s.put("epochs", p.epochs());
        }
        s.put("limit", p.data().limit());
        if (!req.rangeSweep().isEmpty()) {
            s.put("range_sweep", req.rangeSweep());
        }
        return s;
    }
}
