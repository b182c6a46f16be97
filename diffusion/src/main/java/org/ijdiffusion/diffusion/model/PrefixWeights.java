package org.ijdiffusion.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.ijdiffusion.diffusion.io.SafetensorsFile;

/** The tensors of a safetensors file whose names start with a prefix, with the prefix removed. */
public final class PrefixWeights implements WeightSource {
    private final SafetensorsFile file;
    private final String prefix;
    private final Set<String> names;

    public PrefixWeights(SafetensorsFile file, String prefix) {
        this.file = file;
        this.prefix = prefix;
        Set<String> n = new LinkedHashSet<>();
        for (String s : file.names()) {
            if (s.startsWith(prefix)) {
                n.add(s.substring(prefix.length()));
            }
        }
        this.names = Collections.unmodifiableSet(n);
    }

    @Override
    public Set<String> names() {
        return names;
    }

    @Override
    public long[] shape(String name) {
        return file.info(prefix + name).shape();
    }

    @Override
    public NDArray load(String name, NDManager manager) {
        return file.toFloat32(prefix + name, manager);
    }

    @Override
    public NDArray loadCompact(String name, NDManager manager) {
        return file.toCompact(prefix + name, manager);
    }

    @Override
    public String origin() {
        return file.path().toString() + (prefix.isEmpty() ? "" : " (" + prefix + "*)");
    }
}
