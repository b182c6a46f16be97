package org.ijdiffusion.diffusion.text;

/**
 * A {@code <lora:name:...>} tag found in a prompt: which LoRA to apply and its strength on the UNet
 * and on the text encoder.
 */
public record LoraTag(String name, double unetWeight, double textWeight) {
}
