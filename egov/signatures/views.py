"""Pages of the signature app: the signer's images and keys, the agency's keys and seal, the
trust roots, and the public check of a PDF."""
