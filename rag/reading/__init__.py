"""The reader: from a question and its candidate passages to short, typed, cited answer spans.

Stages, each a module with typed inputs and outputs: `question` (what is asked, about whom),
`candidates` (sentence features), `spans` (typed spans of a sentence), `model` (the fitted
weights that score them and decide whether to answer), `reader` (the stages wired together).
"""
