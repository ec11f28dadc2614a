"""Renderers: a plan, a calendar or a readiness report, turned into text for a person or a
program. They take finished data and print or return text; they decide nothing."""
