/**
 * Noise schedules and samplers, reproducing diffusers 0.27's schedulers for SD 1.x's scheduler config.
 *
 * <p>Use: {@code Schedule s = Schedule.of(kind, steps, NoiseSchedule.SD15)} (img2img:
 * {@code .forStrength(strength)}, start latents {@code s.addNoise(init, noise0, 0)}; txt2img: noise times
 * {@code s.initNoiseSigma()}), then {@code kind.sampler().sample(model, x, s, noise, hook)}. The
 * {@link org.ijdiffusion.diffusion.sampling.EpsModel} gets the already scaled model input and the UNet
 * timestep of the step (fractional for Euler / Euler a / LMS).
 *
 * <p>Choices, all matching the reference:
 * <ul>
 * <li>DDIM / PNDM: "leading" timesteps with steps_offset 1, final alpha = alphas_cumprod[0]; PNDM runs
 * steps + 1 model calls (its first timestep-after-start is repeated, the PLMS warm-up).</li>
 * <li>Euler / Euler a / LMS: float "linspace" timesteps with linearly interpolated sigmas, final sigma 0.</li>
 * <li>DPM++ 2M (Karras): rounded "linspace" timesteps (Karras: rho 7 sigmas mapped back to rounded
 * timesteps), final sigma 0 with a first-order last step.</li>
 * <li>Multistep history (PNDM, LMS, DPM++) starts empty when an img2img run starts part-way; LMS takes its
 * order from the position in the full schedule, as diffusers does.</li>
 * <li>LCM / TCD: {@code floor(linspace(0, 50, steps, endpoint=False))} picks of the 50-step distillation
 * timesteps {@code 20 j - 1}, descending (at most 50 steps); LCM's boundary condition c_skip / c_out with
 * sigma_data 0.5 and timestep scaling 10; TCD's gamma (= eta, default 0.3) sets the intermediate timestep
 * {@code floor((1 - gamma) t_prev)}. Both draw one noise tensor after every step but the last (TCD: none at
 * gamma 0). img2img skips steps of the full schedule like the others.</li>
 * <li>{@link org.ijdiffusion.diffusion.sampling.TimestepSpacing#TRAILING}: diffusers' "trailing" spacing
 * {@code round(arange(1000, 0, -1000 / steps)) - 1} for DDIM, Euler, Euler a, LMS, DPM++ 2M.</li>
 * <li>DDIM with eta &gt; 0 draws one noise tensor per step (also the last).</li>
 * <li>Euler a draws one noise tensor per step (also the last). Plain Euler draws none (diffusers draws an
 * unused one per step; no later draw of the standard pipelines depends on it).</li>
 * </ul>
 */
package org.ijdiffusion.diffusion.sampling;
