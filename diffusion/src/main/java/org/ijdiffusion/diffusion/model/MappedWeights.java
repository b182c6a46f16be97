package org.ijdiffusion.diffusion.model;

import org.ijdiffusion.diffusion.io.MappedArrays;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.ijdiffusion.diffusion.io.SafetensorsFile;

/**
 * Tensors of one safetensors file under internal names: each internal name points to a tensor of
 * the file and may carry a target shape with the same element count (a diffusers VAE attention
 * {@code [C,C]} linear weight seen as the LDM {@code [C,C,1,1]} convolution weight).
 */
public final class MappedWeights implements WeightSource {
    /** Where an internal name comes from: the file's tensor name, and the shape the networks expect. */
    public record Target(String fileName, long[] shape) {
    }

    private final SafetensorsFile file;
    private final Map<String, Target> map;
    private final String label;

    public MappedWeights(SafetensorsFile file, Map<String, Target> map, String label) {
        this.file = file;
        this.map = Collections.unmodifiableMap(new LinkedHashMap<>(map));
        this.label = label;
    }

    /**
     * The file's tensors whose names start with {@code prefix}, prefix removed, then renamed by
     * {@code rename} (which returns null to drop a name). Shapes are kept.
     */
    public static MappedWeights prefixed(SafetensorsFile file, String prefix, UnaryOperator<String> rename) {
        Map<String, Target> m = new LinkedHashMap<>();
        for (String s : file.names()) {
            if (s.startsWith(prefix)) {
                String internal = rename.apply(s.substring(prefix.length()));
                if (internal != null) {
                    m.put(internal, new Target(s, file.info(s).shape()));
                }
            }
        }
        return new MappedWeights(file, m, file.path() + (prefix.isEmpty() ? "" : " (" + prefix + "*)"));
    }

    /** Internal name to file tensor name (for reports and tests). */
    public Map<String, Target> targets() {
        return map;
    }

    public SafetensorsFile file() {
        return file;
    }

    @Override
    public Set<String> names() {
        return map.keySet();
    }

    @Override
    public long[] shape(String name) {
        return target(name).shape().clone();
    }

    @Override
    public NDArray load(String name, NDManager manager) {
        Target t = target(name);
        NDArray a = file.toFloat32(t.fileName(), manager);
        if (Arrays.equals(a.getShape().getShape(), t.shape())) {
            return a;
        }
        return a.reshape(new Shape(t.shape()));
    }

    @Override
    public NDArray loadCompact(String name, NDManager manager) {
        Target t = target(name);
        NDArray a = file.toCompact(t.fileName(), manager);
        if (Arrays.equals(a.getShape().getShape(), t.shape())) {
            return a;
        }
        NDArray view = a.reshape(new Shape(t.shape()));
        MappedArrays.replace(a, view);
        return view;
    }

    /** The tensor's values as float32 in Java (row-major; same order before and after a reshape). */
    public float[] floats(String name) {
        return file.floats(target(name).fileName());
    }

    private Target target(String name) {
        Target t = map.get(name);
        if (t == null) {
            throw new IllegalArgumentException("No weight '" + name + "' in " + label);
        }
        return t;
    }

    @Override
    public String origin() {
        return label;
    }
}
