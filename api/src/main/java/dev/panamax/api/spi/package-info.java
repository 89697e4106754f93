/**
 * Service interface between the API and the implementation module. Applications do not use it.
 */
@NullMarked
package dev.panamax.api.spi;

import org.jspecify.annotations.NullMarked;
