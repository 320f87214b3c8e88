"""China's maps: outlines drawn to SVG at build time (boundaries, finders), shaded per page (shading)."""
