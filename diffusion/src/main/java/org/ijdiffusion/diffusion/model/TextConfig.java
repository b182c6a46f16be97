package org.ijdiffusion.diffusion.model;

/** CLIP text encoder architecture read from weights named {@code text_model.*}. */
public record TextConfig(int hiddenSize, int layers, int intermediateSize, int vocabSize, int positions) {

    public static TextConfig read(WeightSource w) {
        String tok = "text_model.embeddings.token_embedding.weight";
        int hidden = Shapes.dim(w, tok, 1);
        int vocab = Shapes.dim(w, tok, 0);
        int positions = Shapes.dim(w, "text_model.embeddings.position_embedding.weight", 0);
        int layers = Shapes.count(w, "text_model\\.encoder\\.layers\\.(\\d+)\\..*");
        int inter = Shapes.dim(w, "text_model.encoder.layers.0.mlp.fc1.weight", 0);
        return new TextConfig(hidden, layers, inter, vocab, positions);
    }
}
