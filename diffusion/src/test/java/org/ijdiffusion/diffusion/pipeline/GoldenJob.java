package org.ijdiffusion.diffusion.pipeline;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.testutil.GoldenSampler;
import org.ijdiffusion.diffusion.testutil.TestData;

/** One pipeline golden: its job.json as a request, its tensors and PNG. */
public final class GoldenJob {
    public final String name;
    public final Path dir;
    public final JsonObject job;

    public GoldenJob(String name) throws IOException {
        this.name = name;
        this.dir = TestData.golden().resolve("pipelines").resolve(name);
        this.job = JsonParser.parseString(Files.readString(dir.resolve("job.json"))).getAsJsonObject();
    }

    /** The model the golden was made with ("tiny-sd15" or "tiny-sd15-inpaint"), as LDM file or diffusers folder. */
    public Path model(boolean diffusers) throws IOException {
        String model = JsonParser.parseString(Files.readString(dir.resolve("result.json"))).getAsJsonObject()
                .get("model").getAsString();
        String base = Path.of(model).getFileName().toString();
        return diffusers ? TestData.model(base) : TestData.model(base + ".safetensors");
    }

    public GenerationRequest.Builder request() throws IOException {
        GenerationRequest.Builder b = GenerationRequest.builder()
                .prompt(job.get("prompt").getAsString())
                .negativePrompt(job.get("negative_prompt").getAsString())
                .size(job.get("width").getAsInt(), job.get("height").getAsInt())
                .steps(job.get("steps").getAsInt())
                .cfg(job.get("cfg").getAsDouble())
                .seed(job.get("seed").getAsLong())
                .sampler(GoldenSampler.of(job).kind())
                .spacing(GoldenSampler.of(job).spacing())
                .eta(GoldenSampler.of(job).eta());
        if (job.has("clip_skip")) {
            b.clipSkip(job.get("clip_skip").getAsInt());
        }
        if (job.has("strength")) {
            b.strength(job.get("strength").getAsDouble());
        }
        if (job.has("init_image")) {
            b.init(rgb(dir.resolve(job.get("init_image").getAsString()).normalize()));
        }
        if (job.has("mask_image")) {
            b.mask(gray(dir.resolve(job.get("mask_image").getAsString()).normalize()));
        }
        return b;
    }

    /**
     * Runs {@code request} and compares the image with the reference's: max |diff| of the float
     * image and of the PNG in 8-bit levels, both printed. The float image must agree within
     * {@link PipelineGoldenTest#IMAGE_TOLERANCE}, unless the job itself is ill-conditioned: then the
     * bound is twice the change the same pipeline shows when its VAE-encoded init latents are scaled
     * by (1 + 1e-7), i.e. by less than float32 resolution. That sensitivity is measured and printed,
     * never assumed; the PNG must be within one level in every case.
     */
    public void check(SdModel model, GenerationRequest request, String label) throws IOException {
        FloatImage image = new Pipeline(model).generate(request, null).images().get(0);
        try (SafetensorsFile golden = tensors()) {
            double d = org.ijdiffusion.diffusion.testutil.Diffs.maxAbsDiff(golden.floats("image"), image.data());
            int levels = org.ijdiffusion.diffusion.testutil.Diffs.maxLevelDiff(png(), image);
            double bound = PipelineGoldenTest.IMAGE_TOLERANCE;
            String note = "";
            if (d >= bound) {
                float[] nudged = new Pipeline(model)
                        .tap((n, v) -> n.startsWith("vae_encode_mean") ? v.mul(1f + 1e-7f) : v)
                        .generate(request, null).images().get(0).data();
                double sensitivity = org.ijdiffusion.diffusion.testutil.Diffs.maxAbsDiff(image.data(), nudged);
                bound = Math.max(bound, 2 * sensitivity);
                note = String.format(" (ill-conditioned: init latents x(1+1e-7) move the image by %.3e)", sensitivity);
            }
            System.out.printf("golden %-44s %-28s max|diff| image %.3e, PNG %d levels%s%n", name, label, d, levels, note);
            if (!(d < bound)) {
                throw new AssertionError(name + " (" + label + "): max |diff| " + d + " >= " + bound);
            }
            if (levels > 1) {
                throw new AssertionError(name + " (" + label + "): PNG differs by " + levels + " levels");
            }
        }
    }

    public SafetensorsFile tensors() {
        return SafetensorsFile.open(dir.resolve("result.safetensors"));
    }

    public BufferedImage png() throws IOException {
        return ImageIO.read(dir.resolve("image.png").toFile());
    }

    public static FloatImage rgb(Path p) throws IOException {
        BufferedImage img = ImageIO.read(p.toFile());
        int w = img.getWidth();
        int h = img.getHeight();
        return FloatImage.fromRgb(w, h, img.getRGB(0, 0, w, h, null, 0, w));
    }

    public static FloatImage gray(Path p) throws IOException {
        BufferedImage img = ImageIO.read(p.toFile());
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] g = new byte[w * h];
        img.getRaster().getDataElements(0, 0, w, h, g);
        return FloatImage.fromGray(w, h, g);
    }
}
