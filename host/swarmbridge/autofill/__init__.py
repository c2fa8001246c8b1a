"""Form autofill, daemon side: profiles the user keeps (identity, contact, addresses; payment data
only in the OS keyring, off by default), and fills that preview every value and never submit
without approval. Field classification and filling run in the extension (content/fields.js classifies what content/formpage.js reads around each control, with the words in content/fieldwords.js, content/autofill.js fills)."""
