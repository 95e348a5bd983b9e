def test_package_imports() -> None:
    import guided_talk

    assert guided_talk.__version__
