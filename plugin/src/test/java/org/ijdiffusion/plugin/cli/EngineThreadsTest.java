package org.ijdiffusion.plugin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a command-line run picks PyTorch's thread count (SLURM tasks use the cores they were given). */
class EngineThreadsTest {
    private String saved;
    private String savedInterop;

    @BeforeEach
    void clear() {
        saved = System.clearProperty(EngineThreads.PROPERTY);
        savedInterop = System.clearProperty(EngineThreads.INTEROP_PROPERTY);
    }

    @AfterEach
    void restore() {
        System.clearProperty(EngineThreads.PROPERTY);
        System.clearProperty(EngineThreads.INTEROP_PROPERTY);
        if (saved != null) {
            System.setProperty(EngineThreads.PROPERTY, saved);
        }
        if (savedInterop != null) {
            System.setProperty(EngineThreads.INTEROP_PROPERTY, savedInterop);
        }
    }

    @Test
    void slurmCpusPerTaskSetsTheThreadsOfATask() {
        assertEquals(3, EngineThreads.apply(Map.of("SLURM_CPUS_PER_TASK", "3")));
        assertEquals("3", System.getProperty(EngineThreads.PROPERTY));
        assertEquals("1", System.getProperty(EngineThreads.INTEROP_PROPERTY));
    }

    @Test
    void ijdThreadsWinsOverSlurmAndAnExplicitPropertyWinsOverBoth() {
        assertEquals(2, EngineThreads.apply(Map.of("SLURM_CPUS_PER_TASK", "8", "IJD_THREADS", "2")));
        System.setProperty(EngineThreads.PROPERTY, "5");
        assertEquals(5, EngineThreads.apply(Map.of("SLURM_CPUS_PER_TASK", "8", "IJD_THREADS", "2")));
        assertEquals("5", System.getProperty(EngineThreads.PROPERTY));
    }

    @Test
    void outsideSlurmPyTorchKeepsItsDefault() {
        assertEquals(0, EngineThreads.apply(Map.of()));
        assertNull(System.getProperty(EngineThreads.PROPERTY));
    }

    @Test
    void aValueThatIsNotAThreadCountIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EngineThreads.apply(Map.of("SLURM_CPUS_PER_TASK", "two")));
        assertTrue(e.getMessage().contains("SLURM_CPUS_PER_TASK") && e.getMessage().contains("'two'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EngineThreads.apply(Map.of("IJD_THREADS", "0")));
    }
}
