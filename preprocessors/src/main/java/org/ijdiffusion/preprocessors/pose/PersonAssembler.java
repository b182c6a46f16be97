package org.ijdiffusion.preprocessors.pose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Part-affinity assembly: scores every candidate limb by sampling the PAF along it, greedily
 * keeps the best disjoint limbs, grows skeletons from them (merging disjoint partial skeletons) and
 * drops skeletons with fewer than 4 parts or a mean score per part below 0.4.
 */
final class PersonAssembler {
    static final int SAMPLES = 10;
    static final double PAF_THRESHOLD = 0.05;
    static final double MIN_FRACTION = 0.8;
    static final int MIN_PARTS = 4;
    static final double MIN_MEAN_SCORE = 0.4;

    /** A kept limb between peak ids {@code a} and {@code b}. */
    private record Link(int a, int b, double score) {
    }

    /** A growing skeleton: peak id per part (-1 = none), summed score, part count. */
    private static final class Skeleton {
        final int[] parts = new int[BodyLayout.PARTS];
        double score;
        int count;

        Skeleton() {
            Arrays.fill(parts, -1);
        }
    }

    private PersonAssembler() {
    }

    static List<Person> assemble(PoseMaps maps, List<List<Peak>> peaks) {
        List<Peak> byId = new ArrayList<>();
        peaks.forEach(byId::addAll);
        List<Skeleton> skeletons = new ArrayList<>();
        for (int k = 0; k < BodyLayout.LIMBS.length; k++) {
            int partA = BodyLayout.LIMBS[k][0];
            int partB = BodyLayout.LIMBS[k][1];
            List<Link> links = links(maps, k, peaks.get(partA), peaks.get(partB));
            for (Link link : links) {
                addLink(skeletons, byId, k, partA, partB, link);
            }
        }
        List<Person> people = new ArrayList<>();
        for (Skeleton s : skeletons) {
            if (s.count < MIN_PARTS || s.score / s.count < MIN_MEAN_SCORE) {
                continue;
            }
            Keypoint[] kp = new Keypoint[BodyLayout.PARTS];
            for (int p = 0; p < kp.length; p++) {
                if (s.parts[p] >= 0) {
                    Peak pk = byId.get(s.parts[p]);
                    kp[p] = new Keypoint(pk.x(), pk.y(), pk.score());
                }
            }
            people.add(new Person(kp));
        }
        return people;
    }

    /** Accepted limbs of type k, best first, each peak used at most once. */
    private static List<Link> links(PoseMaps maps, int k, List<Peak> candA, List<Peak> candB) {
        List<Link> kept = new ArrayList<>();
        if (candA.isEmpty() || candB.isEmpty()) {
            return kept;
        }
        float[] pafX = maps.pafs()[BodyLayout.PAF_CHANNELS[k][0]];
        float[] pafY = maps.pafs()[BodyLayout.PAF_CHANNELS[k][1]];
        List<double[]> cands = new ArrayList<>();
        for (int i = 0; i < candA.size(); i++) {
            for (int j = 0; j < candB.size(); j++) {
                double s = limbScore(maps, pafX, pafY, candA.get(i), candB.get(j));
                if (!Double.isNaN(s)) {
                    cands.add(new double[] {i, j, s});
                }
            }
        }
        cands.sort(Comparator.comparingDouble((double[] c) -> c[2]).reversed());
        boolean[] usedA = new boolean[candA.size()];
        boolean[] usedB = new boolean[candB.size()];
        int limit = Math.min(candA.size(), candB.size());
        for (double[] c : cands) {
            int i = (int) c[0];
            int j = (int) c[1];
            if (!usedA[i] && !usedB[j]) {
                usedA[i] = true;
                usedB[j] = true;
                kept.add(new Link(candA.get(i).id(), candB.get(j).id(), c[2]));
                if (kept.size() >= limit) {
                    break;
                }
            }
        }
        return kept;
    }

    /** PAF score of the segment a->b with the length prior, or NaN when the limb is rejected. */
    private static double limbScore(PoseMaps maps, float[] pafX, float[] pafY, Peak a, Peak b) {
        double dx = b.x() - a.x();
        double dy = b.y() - a.y();
        double norm = Math.max(0.001, Math.sqrt(dx * dx + dy * dy));
        double ux = dx / norm;
        double uy = dy / norm;
        int w = maps.width();
        double sum = 0;
        int above = 0;
        for (int s = 0; s < SAMPLES; s++) {
            double px = s == SAMPLES - 1 ? b.x() : a.x() + s * (dx / (SAMPLES - 1));
            double py = s == SAMPLES - 1 ? b.y() : a.y() + s * (dy / (SAMPLES - 1));
            int i = (int) Math.rint(py) * w + (int) Math.rint(px);
            double v = pafX[i] * ux + pafY[i] * uy;
            sum += v;
            above += v > PAF_THRESHOLD ? 1 : 0;
        }
        double score = sum / SAMPLES + Math.min(0.5 * maps.height() / norm - 1, 0);
        return above > MIN_FRACTION * SAMPLES && score > 0 ? score : Double.NaN;
    }

    private static void addLink(List<Skeleton> skeletons, List<Peak> byId, int k, int partA, int partB, Link link) {
        int[] hit = new int[2];
        int found = 0;
        for (int j = 0; j < skeletons.size(); j++) {
            Skeleton s = skeletons.get(j);
            if (s.parts[partA] == link.a() || s.parts[partB] == link.b()) {
                if (found < 2) {
                    hit[found] = j;
                }
                found++;
            }
        }
        double scoreB = byId.get(link.b()).score();
        if (found == 1) {
            Skeleton s = skeletons.get(hit[0]);
            if (s.parts[partB] != link.b()) {
                s.parts[partB] = link.b();
                s.count++;
                s.score += scoreB + link.score();
            }
        } else if (found == 2) {
            Skeleton s1 = skeletons.get(hit[0]);
            Skeleton s2 = skeletons.get(hit[1]);
            if (disjoint(s1, s2)) {
                for (int p = 0; p < BodyLayout.PARTS; p++) {
                    if (s2.parts[p] >= 0) {
                        s1.parts[p] = s2.parts[p];
                    }
                }
                s1.count += s2.count;
                s1.score += s2.score + link.score();
                skeletons.remove(hit[1]);
            } else {
                s1.parts[partB] = link.b();
                s1.count++;
                s1.score += scoreB + link.score();
            }
        } else if (found == 0 && k < BodyLayout.DRAWN_LIMBS) {
            Skeleton s = new Skeleton();
            s.parts[partA] = link.a();
            s.parts[partB] = link.b();
            s.count = 2;
            s.score = byId.get(link.a()).score() + scoreB + link.score();
            skeletons.add(s);
        }
    }

    private static boolean disjoint(Skeleton a, Skeleton b) {
        for (int p = 0; p < BodyLayout.PARTS; p++) {
            if (a.parts[p] >= 0 && b.parts[p] >= 0) {
                return false;
            }
        }
        return true;
    }
}
