package org.ijdiffusion.diffusion.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SamplerKindTest {
    @Test
    void namesAndLabels() {
        for (SamplerKind k : SamplerKind.values()) {
            assertEquals(k, SamplerKind.fromName(k.cliName()));
            assertEquals(k, SamplerKind.fromName(k.label()));
            assertEquals(k, SamplerKind.fromName(k.label().toUpperCase()));
        }
        assertEquals(SamplerKind.PNDM, SamplerKind.fromName("PLMS"));
        assertEquals(SamplerKind.EULER_A, SamplerKind.fromName("Euler a"));
        assertEquals(SamplerKind.DPMPP_2M_KARRAS, SamplerKind.fromName(" dpmpp_2m_karras "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SamplerKind.fromName("heun"));
        assertTrue(e.getMessage().contains("heun") && e.getMessage().contains("dpmpp_2m_karras")
                && e.getMessage().contains("Euler a"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SamplerKind.fromName(null));
    }

    @Test
    void badStepCounts() {
        assertThrows(IllegalArgumentException.class, () -> Schedule.of(SamplerKind.DDIM, 0, NoiseSchedule.SD15));
        assertThrows(IllegalArgumentException.class, () -> Schedule.of(SamplerKind.PNDM, 1000, NoiseSchedule.SD15));
        assertEquals(999, Schedule.of(SamplerKind.DDIM, 999, NoiseSchedule.SD15).steps());
        assertEquals(1000, Schedule.of(SamplerKind.EULER, 1000, NoiseSchedule.SD15).steps());
        Schedule s = Schedule.of(SamplerKind.EULER, 4, NoiseSchedule.SD15);
        assertThrows(IllegalArgumentException.class, () -> s.startingAt(4));
        assertEquals(1, s.startingAt(3).steps());
        assertEquals(4, s.forStrength(1.0).steps());
        assertEquals(2, s.forStrength(0.6).steps());
        assertEquals(Schedule.of(SamplerKind.DDIM, 10, NoiseSchedule.SD15).timestep(4),
                Schedule.of(SamplerKind.DDIM, 10, NoiseSchedule.SD15).forStrength(0.6).timestep(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.forStrength(0.1));
        assertTrue(e.getMessage().contains("raise"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.forStrength(1.5));
        assertEquals(SamplerKind.PNDM, Schedule.of(SamplerKind.PNDM, 1, NoiseSchedule.SD15).kind());
        assertEquals(1, Schedule.of(SamplerKind.PNDM, 1, NoiseSchedule.SD15).steps());
        assertEquals(1, Schedule.of(SamplerKind.DPMPP_2M_KARRAS, 1, NoiseSchedule.SD15).steps());
    }
}
