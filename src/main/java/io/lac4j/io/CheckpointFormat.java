package io.lac4j.io;

/** On-disk checkpoint formats {@link Checkpoints#read} recognises. */
public enum CheckpointFormat {
    /**
     * {@code torch.save} since 1.6: a zip with {@code <folder>/data.pkl} and one entry per storage.
     */
    PTH_ZIP,
    /**
     * {@code torch.save(..., _use_new_zipfile_serialization=False)}: pickles followed by raw
     * storages.
     */
    PTH_LEGACY,
    /** Hugging Face safetensors: 8-byte header length, JSON header, raw data. */
    SAFETENSORS
}
