"""The project level: wires apps together (API assembly, home page, menu context).

Not an installed app; ``core`` and the apps never import it."""
