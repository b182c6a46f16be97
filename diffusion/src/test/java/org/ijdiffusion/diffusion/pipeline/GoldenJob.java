package org.ijdiffusion.diffusion.pipeline;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.ijdiffusion.diffusion.io.SafetensorsFile;
import org.ijdiffusion.diffusion.sampling.SamplerKind;
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
                .sampler(SamplerKind.fromName(job.get("sampler").getAsString()));
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
