package io.lac4j.defense;

import ai.djl.ndarray.NDManager;
import io.lac4j.data.CalibrationData;
import io.lac4j.data.DataView;
import io.lac4j.data.Normalization;
import io.lac4j.engine.Progress;
import io.lac4j.nn.Graph;
import io.lac4j.ptq.LacReconstruction;
import io.lac4j.quant.QuantizedModel;
import java.util.Map;

/**
 * What the run skeleton gives a {@link Defense}: the FP model, the calibrated quantized model, the
 * clean calibration data every defense shares, the options, and where to record what it did.
 */
public interface DefenseContext {
    /** The loaded FP model; a defense may change it (fine-tuning does), it is this run's own copy. */
    Graph fp();

    /** The quantized copy of {@link #fp()} calibrated with the defense's quantizer (created on first use). */
    QuantizedModel calibrated();

    /** Another quantized copy of {@code fp}, prepared and calibrated exactly like {@link #calibrated()}. */
    QuantizedModel quantize(Graph fp);

    /** LAC's two calibration lists (reconstruction, activation), drawn once per run from the seed. */
    CalibrationData calibration();

    /** The labels of the reconstruction list's images, in list order (the clean data a defender holds). */
    int[] calibrationLabels();

    /** The reconstruction list's images with their labels and the training augmentation (fine-tuning data). */
    DataView cleanCalibrationView();

    /** The data set's Normalize (calibration images are normalised with it). */
    Normalization normalization();

    /** The model's number of classes. */
    int classes();

    DefenseOptions options();

    NDManager manager();

    Progress progress();

    /** Seconds by step name, for results.json's timings. */
    Map<String, Double> timings();

    /** Facts about what the defense did (pruned channels, chosen λ), for results.json's settings. */
    Map<String, Object> facts();

    /** Called after every reconstructed unit: the skeleton saves resumable state there. */
    LacReconstruction.UnitListener unitListener();

    /** Units already finished by an interrupted run whose state the skeleton restored (0 otherwise). */
    int unitsDone();
}
