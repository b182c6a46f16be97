package org.ijdiffusion.plugin.cli.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Jobs from CSV: RFC 4180 quoting, empty cells as defaults, header columns checked against generate's options. */
class JobFileCsvTest {
    private static final Path MODEL = Path.of("/models/m.safetensors");

    @Test
    void quotedFieldsHoldCommasQuotesAndLineBreaks() {
        List<List<String>> rows = Csv.rows("prompt,seed,negative\r\n"
                + "\"a cat, sitting\",1,\"say \"\"hi\"\"\"\n"
                + "\"two\nlines\",2,\n"
                + ",,\n"
                + "last,3,x");
        assertEquals(List.of(List.of("prompt", "seed", "negative"), List.of("a cat, sitting", "1", "say \"hi\""),
                List.of("two\nlines", "2", ""), List.of("", "", ""), List.of("last", "3", "x")), rows);
        assertEquals(List.of(List.of("a", "")), Csv.rows("a,\n"), "a trailing comma is an empty last cell");
        assertEquals(List.of(List.of("\"\"")), Csv.rows("\"\"\"\"\"\"\n"), "a field of two quote characters");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Csv.rows("a,\"b\nc"));
        assertTrue(e.getMessage().contains("ends inside a quoted field"), e.getMessage());
    }

    @Test
    void emptyCellsAreDefaultsBlankRowsAreSkippedRepeatedColumnsRepeat() {
        List<RawJob> jobs = JobFile.csv("prompt,seed,steps,lora,lora\n"
                + "a,1,,x.safetensors,y.safetensors:0.5\n"
                + ",,,,\n"
                + "\"b, c\",2,3,,\n");
        assertEquals(2, jobs.size(), "the blank row is no job");
        assertEquals(Map.of("prompt", "a", "seed", "1", "lora", List.of("x.safetensors", "y.safetensors:0.5")),
                jobs.get(0).values());
        assertEquals(Map.of("prompt", "b, c", "seed", "2", "steps", "3"), jobs.get(1).values());
        assertEquals(List.of(2, 4), jobs.stream().map(RawJob::line).toList(), "file lines, for messages");
        assertEquals(List.of(0, 1), jobs.stream().map(RawJob::index).toList());
        List<Job> made = Jobs.of(jobs, Path.of("/jobs"), MODEL, false, new OutputNames(OutputNames.DEFAULT));
        assertNull(made.get(1).error());
        assertEquals(List.of("--model", MODEL.toString(), "--prompt", "b, c", "--seed", "2", "--steps", "3"),
                made.get(1).args(), "no --steps for job 0: the empty cell is generate's default");
        assertEquals(List.of("--model", MODEL.toString(), "--prompt", "a", "--seed", "1", "--lora",
                "/jobs/x.safetensors", "--lora", "/jobs/y.safetensors:0.5"), made.get(0).args());
    }

    @Test
    void aHeaderColumnThatIsNoGenerateOptionRefusesTheFileNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobFile.csv("prompt,seed,sede\na,1,\n"));
        assertTrue(e.getMessage().contains("column 3 \"sede\" is not a generate option"), e.getMessage());
        IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
                () -> JobFile.csv("prompt,seed,out\na,1,x.png\n"));
        assertTrue(out.getMessage().contains("\"out\" is not for batch jobs"), out.getMessage());
        // the ControlNet columns and switches are job keys
        List<RawJob> ok = JobFile.csv("prompt,seed,control,control-image,control-weight,name\na,1,c.safetensors,"
                + "e.png,0.5,first\n");
        assertEquals(List.of(Map.of("control", "c.safetensors", "control-image", "e.png", "control-weight", "0.5")),
                ok.get(0).values().get("control"));
        assertEquals("first", ok.get(0).values().get("name"));
    }

    @Test
    void aRowWithMoreCellsThanTheHeaderFailsAloneAndAControlColumnMustComeFirst() {
        List<RawJob> jobs = JobFile.csv("prompt,seed\na,1,extra\nb,2\n");
        assertEquals("row 2 has 3 cells, the header 2", jobs.get(0).error());
        assertNull(jobs.get(1).error());
        List<RawJob> unit = JobFile.csv("prompt,control-weight,seed\na,0.5,1\n");
        assertEquals("row 2: column control-weight must follow a control column", unit.get(0).error());
    }
}
