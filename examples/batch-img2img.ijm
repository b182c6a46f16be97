// Image to Image over every image of a folder, each result saved as PNG with its parameters.
// Run:  bin/fiji-layout --headless examples/batch-img2img.ijm "in=/path/to/photos out=/tmp/out model=/path/to/v1-5-pruned-emaonly.safetensors"
// (or open it in ImageJ: Plugins > Macros > Run..., which asks for the folders).
args = getArgument();
input = valueOf(args, "in", "");
output = valueOf(args, "out", "");
model = valueOf(args, "model", "");
if (input == "") input = getDirectory("Folder of images");
if (output == "") output = getDirectory("Folder for the results");
if (!endsWith(input, File.separator)) input = input + File.separator;
if (!endsWith(output, File.separator)) output = output + File.separator;
File.makeDirectory(output);
if (model != "") {
	// point the suite at the checkpoint's folder (kept in ImageJ's preferences)
	run("Diffusion Settings", "models_root=[] checkpoints=[" + File.getParent(model) + "] vae=[] controlnet=[] lora=[] preprocessors=[] default_model=[" + File.getName(model) + "] threads=0");
}
setBatchMode(true);
list = getFileList(input);
n = 0;
for (i = 0; i < list.length; i++) {
	name = list[i];
	lower = toLowerCase(name);
	if (!(endsWith(lower, ".png") || endsWith(lower, ".jpg") || endsWith(lower, ".jpeg") || endsWith(lower, ".tif"))) continue;
	open(input + name);
	source = getImageID();
	run("Image to Image", "prompt=[an oil painting, impasto, rich colours] negative_prompt=[blurry] steps=20 cfg_scale=7 sampler=[Euler a] seed=" + (1000 + i) + " denoising_strength=0.5");
	run("Save PNG with parameters", "path=[" + output + File.nameWithoutExtension + "-img2img.png]");
	close();
	selectImage(source);
	close();
	n++;
}
print("batch-img2img: " + n + " images written to " + output);

function valueOf(args, key, def) {
	parts = split(args, " ");
	for (k = 0; k < parts.length; k++) {
		if (startsWith(parts[k], key + "=")) return substring(parts[k], lengthOf(key) + 1);
	}
	return def;
}
