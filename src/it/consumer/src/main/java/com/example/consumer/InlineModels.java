package com.example.consumer;

import dev.nnc.NnModel;

/** A model written inline, as a text block: nnc generates the class Neuron in this package. */
@NnModel(source = """
    model Neuron { input x, y; param w, b; z = w x + b; a = σ z; L = −(y ln a + (1 − y) ln(1 − a)) }
    """)
final class InlineModels {
  private InlineModels() {}
}
