/**
 * Local commands: the built-in {@code type=command} probe
 * ({@link dev.vigil.command.CommandProbeFactory}), the command rollback
 * ({@link dev.vigil.command.CommandRollbackTrigger}, made through {@code RollbackTriggers.shell}
 * and {@code RollbackTriggers.command}) and {@link dev.vigil.command.Programs}, the lookup of a
 * program on the {@code PATH}. Both run their command through one package-private runner that
 * bounds the output kept and kills the whole process tree on timeout. Depends on
 * {@code dev.vigil}, {@code dev.vigil.spi} and {@code dev.vigil.condition} only.
 */
package dev.vigil.command;
