package dev.vigil.cli;

import picocli.CommandLine;

/**
 * Refuses an empty or blank option value. An empty option is what a pipeline passes when its
 * variable is unset ({@code --previous-version "$(cat deployed-version.txt)"} without the file):
 * taken as given, it would clear the configuration's value (a rollback command made of
 * {@code ${vigil.deployment.previous-version}} would return to no version at all), filter
 * {@code history} down to nothing, or write {@code init}'s defaults in place of what was meant.
 */
final class NonBlank implements CommandLine.ITypeConverter<String> {

    @Override
    public String convert(String value) {
        if (value.isBlank()) {
            throw new CommandLine.TypeConversionException("empty; give a value, or leave the option out"
                    + " (the configuration's value or the default then applies)");
        }
        return value;
    }
}
