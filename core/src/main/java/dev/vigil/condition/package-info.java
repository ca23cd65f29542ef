/**
 * Vigil's condition language: {@link dev.vigil.condition.Condition} parses a condition such as
 * {@code status == 200 && latency < 500ms} once and evaluates it against each measurement's
 * values, with an {@link dev.vigil.condition.Evaluation} that explains the result;
 * {@link dev.vigil.condition.Criteria} turns a probe's {@code pass-when} / {@code fail-when} into
 * an outcome. The language is described in {@code docs/conditions.md}.
 */
package dev.vigil.condition;
