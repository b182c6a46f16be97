package org.ijdiffusion.diffusion.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.junit.jupiter.api.Test;

/** The setting reaches the process environment that libtorch reads (C getenv, not Java's copy). */
class HugePagesTest {
    private interface C extends Library {
        String getenv(String name);
    }

    @Test
    void setsTheVariableInTheProcessEnvironmentKeepingAUsersValue() {
        HugePages.enable();
        HugePages.enable();
        String value = Native.load("c", C.class).getenv(HugePages.VARIABLE);
        assertNotNull(value, HugePages.VARIABLE + " is not in the process environment");
        String users = System.getenv(HugePages.VARIABLE);
        assertEquals(users != null ? users : "1", value);
    }
}
