// ij-diffusion walkthrough on a bundled sample photo: OpenPose and Canny maps, an inpaint mask from a
// selection (and the inpaint itself when "Inpaint Selection" is installed), then a picture generated
// from the pose with a ControlNet. Every result is written as PNG with A1111's "parameters" chunk.
//
// Run from the repository root (after `mvn -q package -DskipTests`):
//   bin/fiji-layout --headless examples/pose-canny-inpaint.ijm "repo=$PWD out=/tmp/ij-diffusion-example"
// With a real checkpoint and an OpenPose ControlNet (the tiny test models give noise):
//   bin/fiji-layout --headless examples/pose-canny-inpaint.ijm "repo=$PWD out=/tmp/ex model=/models/v1-5-pruned-emaonly.safetensors controlnet=/models/control_v11p_sd15_openpose.safetensors"
args = getArgument();
repo = valueOf(args, "repo", File.getParent(getDirectory("startup")));
out = valueOf(args, "out", getDirectory("temp") + "ij-diffusion-example");
model = valueOf(args, "model", repo + "/testdata/models/tiny-sd15.safetensors");
controlnet = valueOf(args, "controlnet", repo + "/testdata/models/tiny-controlnet.safetensors");
tiny = indexOf(model, "tiny-sd15") >= 0;
File.makeDirectory(out);
if (tiny) {
	print("NOTE: using the bundled tiny test checkpoint (random weights): its pictures are NOISE.");
	print("      For real pictures pass model=/path/to/v1-5-pruned-emaonly.safetensors (any SD1.x checkpoint)");
	print("      and controlnet=/path/to/control_v11p_sd15_openpose.safetensors, or set the folders in");
	print("      Plugins > Diffusion > Diffusion Settings (an A1111 or ComfyUI 'models' folder works).");
}
size = 512;
steps = 20;
if (tiny) { size = 64; steps = 8; }
run("Diffusion Settings", "models_root=[] checkpoints=[" + File.getParent(model) + "] vae=[] controlnet=[" + File.getParent(controlnet) + "] lora=[] preprocessors=[] default_model=[" + File.getName(model) + "] threads=0");
setBatchMode(true);

// 1. OpenPose: the map, with one named point per joint (drag them in the GUI, then Pose > Render From Points)
open(repo + "/testdata/images/human.png");
photo = getTitle();
run("OpenPose", "preprocessor_model=Default resolution=512");
pose = getTitle();
print("OpenPose: " + Overlay.size + " keypoints on '" + pose + "'");
run("Save PNG with parameters", "path=[" + out + "/openpose-map.png]");
run("Export OpenPose JSON", "path=[" + out + "/pose.json]");

// 2. Canny edges of the same photo
selectImage(photo);
run("Canny", "low_threshold=100 high_threshold=200 resolution=512");
run("Save PNG with parameters", "path=[" + out + "/canny-map.png]");

// 3. Inpaint: an oval selection on the photo becomes the mask
selectImage(photo);
makeOval(getWidth() / 4, getHeight() / 8, getWidth() / 2, getHeight() / 4);
run("Selection to Inpaint Mask");
saveAs("PNG", out + "/inpaint-mask.png");
List.setCommands;
if (List.get("Inpaint Selection") != "") {
	selectImage(photo);
	run("Inpaint Selection", "prompt=[a smiling face, detailed] steps=" + steps + " seed=7 denoising_strength=0.75 inpaint_area=[Only masked] padding=32 working_size=" + size);
	run("Save PNG with parameters", "path=[" + out + "/inpainted.png]");
} else {
	print("(Inpaint Selection is not installed in this build: the mask is written, the inpaint step is skipped)");
}

// 4. Generate from the pose
run("Text to Image", "model=[" + File.getName(model) + "] prompt=[a dancer on a stage, dramatic light] negative_prompt=[blurry] width=" + size + " height=" + size + " steps=" + steps + " cfg_scale=7 sampler=[Euler a] seed=42 control_model=[" + File.getName(controlnet) + "] control_image=[" + pose + "] preprocessor=none control_weight=1");
run("Save PNG with parameters", "path=[" + out + "/from-pose.png]");
print("Parameters of from-pose.png:");
print(Property.get("parameters"));
print("pose-canny-inpaint: PNGs written to " + out);

function valueOf(args, key, def) {
	parts = split(args, " ");
	for (k = 0; k < parts.length; k++) {
		if (startsWith(parts[k], key + "=")) return substring(parts[k], lengthOf(key) + 1);
	}
	return def;
}
