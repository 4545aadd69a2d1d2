"""Akash (Cosmos REST) extraction: fields checked where they enter, list answers to rows, the LCD routes."""
