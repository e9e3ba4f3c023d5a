/** Known plugin definitions (the bundled {@code plugins.yml}), playing Meltano Hub's role. No runtime dependencies beyond Jackson. */
package io.tapline.internal.catalog;
