package io.lac4j.cli.config;

/**
 * A reference template (LAC.md §2.2): which checkpoint, data set, architecture, trigger and
 * target a {@code template=} name stands for. Checkpoint files are looked up under
 * {@code checkpoints/} unless {@code model.path} says otherwise.
 *
 * @param checkpointKey the dict key holding the state_dict ({@code net}) or null for a bare one
 * @param noTarget {@code exact} (drop target-class images) or {@code tiny-modified} (Q13)
 * @param augmentTriggered Tiny pq quirk Q14: triggered test images are random-cropped and flipped
 */
public record Template(
        String name,
        String checkpointFile,
        String checkpointKey,
        String dataset,
        String arch,
        String trigger,
        int target,
        String noTarget,
        boolean augmentTriggered,
        String description) {}
