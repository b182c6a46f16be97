package org.ijdiffusion.diffusion.model;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ijdiffusion.diffusion.io.ModelFileException;

/** Small helpers to read architecture facts from a {@link WeightSource}'s names and shapes. */
final class Shapes {
    private Shapes() {
    }

    /** Dimension {@code dim} of a tensor that must exist. */
    static int dim(WeightSource w, String name, int dim) {
        if (!w.has(name)) {
            throw new ModelFileException("The weights in " + w.origin() + " lack '" + name
                    + "': the file is incomplete or not the model it was taken for.");
        }
        long[] s = w.shape(name);
        if (dim >= s.length) {
            throw new ModelFileException("Tensor '" + name + "' in " + w.origin() + " has shape "
                    + java.util.Arrays.toString(s) + "; expected at least " + (dim + 1) + " dimensions.");
        }
        return Math.toIntExact(s[dim]);
    }

    /** The distinct integers captured by group 1 of {@code regex} over all names. */
    static Set<Integer> indices(WeightSource w, String regex) {
        Pattern p = Pattern.compile(regex);
        Set<Integer> out = new TreeSet<>();
        for (String s : w.names()) {
            Matcher m = p.matcher(s);
            if (m.matches()) {
                out.add(Integer.parseInt(m.group(1)));
            }
        }
        return out;
    }

    static int count(WeightSource w, String regex) {
        return indices(w, regex).size();
    }
}
